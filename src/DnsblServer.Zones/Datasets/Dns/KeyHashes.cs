using System.Buffers.Binary;
using System.Numerics;

namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>
/// A set of 32-bit key hashes (open addressing, linear probing, at most three quarters full) that says for sure
/// when a key is <em>not</em> in the set: one probe, usually one cache line. A hit may be a collision,
/// so the caller confirms it with the exact search. The dnset keeps one for the names with a wildcard
/// state, so each suffix of a miss costs a probe instead of an index search.
/// </summary>
internal sealed class KeyHashes
{
    private readonly uint[] _slots; // hash (0 stored as 1), or 0 = empty
    private readonly int _mask;

    /// <summary>The set of <paramref name="hashes"/> (from <see cref="Hash"/>); duplicates are fine.</summary>
    public KeyHashes(ReadOnlySpan<uint> hashes)
    {
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, hashes.Length + hashes.Length / 3 + 1));
        _slots = new uint[capacity];
        _mask = capacity - 1;
        foreach (uint hash in hashes)
        {
            uint stored = hash == 0 ? 1 : hash;
            int at = Slot(stored);
            while (_slots[at] != 0 && _slots[at] != stored) at = (at + 1) & _mask;
            _slots[at] = stored;
        }
    }

    /// <summary>Bytes held.</summary>
    public long SizeInBytes => _slots.Length * 4L;

    /// <summary>False when no key with this hash was added; true when one may have been.</summary>
    public bool MayContain(uint hash)
    {
        uint stored = hash == 0 ? 1 : hash;
        uint[] slots = _slots;
        for (int at = Slot(stored); ; at = (at + 1) & _mask)
        {
            uint slot = slots[at];
            if (slot == stored) return true;
            if (slot == 0) return false;
        }
    }

    // The high bits pick the slot, so a slot's neighbours do not share the low bits being compared.
    private int Slot(uint stored) => (int)(stored >> 7) & _mask;

    /// <summary>A 32-bit hash of a key, 8 bytes at a time (keys here are 4 to 255 bytes).</summary>
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)key.Length;
        int i = 0;
        for (; i + 8 <= key.Length; i += 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(key[i..])) * 0xFF51AFD7ED558CCDUL, 29);
        }
        if (i < key.Length)
        {
            ulong tail = 0;
            for (int k = key.Length - 1; k >= i; k--) tail = (tail << 8) | key[k];
            h = (h ^ tail) * 0xFF51AFD7ED558CCDUL;
        }
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return (uint)h;
    }
}
