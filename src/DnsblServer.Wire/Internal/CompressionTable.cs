using System.Runtime.CompilerServices;

namespace DnsblServer.Wire.Internal;

/// <summary>
/// Offsets of names already in the message that later names may point to (RFC 1035 §4.1.4). Lives inside
/// <see cref="ResponseWriter"/> on the stack: 256 entries × 2 bytes, the same capacity as rbldnsd's <c>dncompr</c>.
/// </summary>
/// <remarks>
/// rbldnsd compresses each precomputed block (the SOA RR; the NS RRset with its glue) on its own, against the zone apex
/// in the question plus names earlier in the same block. The writer resets this table per block to give identical bytes.
/// </remarks>
internal struct CompressionTable
{
    public const int Capacity = 256;

    // Pointers carry 14 bits of offset.
    private const int MaxPointerOffset = 0x3FFF;

    private Entries _offsets;
    private int _count;

    /// <summary>Forgets every name.</summary>
    public void Reset() => _count = 0;

    /// <summary>Remembers that a name starts at <paramref name="offset"/>; ignored when full or not addressable.</summary>
    public void Add(int offset)
    {
        if (_count < Capacity && offset <= MaxPointerOffset)
        {
            _offsets[_count++] = (ushort)offset;
        }
    }

    /// <summary>Adds every suffix of the uncompressed name at <paramref name="offset"/> (the zone apex in the question).</summary>
    public void AddSuffixes(ReadOnlySpan<byte> packet, int offset)
    {
        while (packet[offset] != 0)
        {
            Add(offset);
            offset += packet[offset] + 1;
        }
    }

    /// <summary>Offset of a name equal to <paramref name="name"/>, or -1.</summary>
    public readonly int Find(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < _count; i++)
        {
            if (WireName.EqualsAt(packet, _offsets[i], name))
            {
                return _offsets[i];
            }
        }

        return -1;
    }

    [InlineArray(Capacity)]
    private struct Entries
    {
        private ushort _element0;
    }
}
