using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DnsblServer.Serving.RateLimiting.Internal;

/// <summary>
/// The 64-bit hash of a limiter key: the question name as the response carries it (wire form, ASCII
/// case-folded 8 bytes at a time), QTYPE and QCLASS, the client prefix and the response class,
/// seeded per process so that nobody outside can aim keys at one bucket.
/// </summary>
/// <remarks>A multiply-rotate mix per word and MurmurHash3's 64-bit finaliser; about 15 ns for a 40-byte name.</remarks>
internal static class KeyHash
{
    private const ulong K1 = 0x9E3779B97F4A7C15;
    private const ulong K2 = 0xC2B2AE3D27D4EB4F;

    /// <summary>Adds the wire-form <paramref name="name"/>, case-folded, to <paramref name="h"/>.</summary>
    public static ulong AddName(ulong h, ReadOnlySpan<byte> name)
    {
        while (name.Length >= 8)
        {
            h = Add(h, FoldCase(BinaryPrimitives.ReadUInt64LittleEndian(name)));
            name = name[8..];
        }
        if (!name.IsEmpty)
        {
            ulong tail = 0;
            for (int i = 0; i < name.Length; i++) tail |= (ulong)name[i] << (8 * i);
            h = Add(h, FoldCase(tail) ^ ((ulong)name.Length << 59)); // the length: "ab" and "ab\0" differ
        }
        return h;
    }

    /// <summary>Adds one word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong h, ulong word) => BitOperations.RotateLeft((h ^ word) * K1, 31) * K2;

    /// <summary>MurmurHash3's finaliser: every input bit reaches every output bit (the table takes the low bits, the tag the high ones).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        return h ^ (h >> 33);
    }

    /// <summary>'A'-'Z' to 'a'-'z' in each byte of <paramref name="x"/>, other bytes unchanged (SWAR, no branch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FoldCase(ulong x)
    {
        const ulong Ones = 0x0101010101010101;
        const ulong High = 0x8080808080808080;
        ulong low7 = x & ~High;
        ulong atLeastA = low7 + (0x80 - (ulong)'A') * Ones; // bit 7 set where the byte's low 7 bits >= 'A'
        ulong aboveZ = low7 + (0x80 - (ulong)'Z' - 1) * Ones; // bit 7 set where they are > 'Z'
        ulong upper = atLeastA & ~aboveZ & ~x & High;        // and the byte's own bit 7 is clear
        return x | (upper >> 2);                             // 0x80 >> 2 = 0x20, the case bit
    }
}
