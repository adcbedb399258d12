namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>
/// Writes a <see cref="DnsNameIndex"/> from unique keys given in ascending bytewise order, in two passes over
/// the same entries: a measuring builder (<see cref="DnsNameIndexBuilder()"/>) only counts, then a writing
/// builder made from it allocates every array at its exact final size and fills it. Nothing is reserved
/// from an estimate, grown or copied to its length afterwards, so the index is the only memory the build
/// adds (it was reserved at keys + 4 B per name, ~2x the result, and both were live while copying).
/// </summary>
internal sealed class DnsNameIndexBuilder
{
    private readonly byte[]? _blob; // null while measuring
    private readonly int[] _blockStart;
    private readonly ulong[] _headPrefix;
    private readonly uint[] _wildcardHashes;
    private readonly byte[] _previous = new byte[DnsNameText.MaxWireLength];
    private int _previousLength;
    private int _length;
    private int _count;
    private int _wildcards;

    /// <summary>A measuring builder: <see cref="Add"/> counts bytes, entries and wildcard entries, writes nothing.</summary>
    public DnsNameIndexBuilder()
    {
        _blockStart = [];
        _headPrefix = [];
        _wildcardHashes = [];
    }

    /// <summary>A writing builder sized exactly for the entries <paramref name="measured"/> was given, which must
    /// now be given again, in the same order with the same states.</summary>
    public DnsNameIndexBuilder(DnsNameIndexBuilder measured)
    {
        if (measured._blob is not null) throw new ArgumentException("not a measuring builder", nameof(measured));
        _blob = new byte[measured._length];
        int blocks = (measured._count + DnsNameIndex.BlockSize - 1) / DnsNameIndex.BlockSize;
        _blockStart = new int[blocks];
        _headPrefix = new ulong[blocks];
        _wildcardHashes = new uint[measured._wildcards];
    }

    /// <summary>Appends the next key (strictly greater than the previous one) with its two states.</summary>
    public void Add(ReadOnlySpan<byte> key, int plain, int wildcard)
    {
        bool head = _count % DnsNameIndex.BlockSize == 0;
        int shared = head ? 0 : key.CommonPrefixLength(_previous.AsSpan(0, _previousLength));
        int suffix = key.Length - shared;
        byte[]? blob = _blob;
        int size = 2 + suffix + VarintLength(plain) + VarintLength(wildcard);
        if (blob is null)
        {
            _length += size;
        }
        else
        {
            if (_length + size > blob.Length || (wildcard != DnsNameIndex.Absent && _wildcards == _wildcardHashes.Length))
            {
                throw new InvalidOperationException("the entries differ from the measured ones");
            }
            if (head)
            {
                _blockStart[_count / DnsNameIndex.BlockSize] = _length;
                _headPrefix[_count / DnsNameIndex.BlockSize] = DnsNameIndex.Prefix(key);
            }
            blob[_length++] = (byte)shared;
            blob[_length++] = (byte)suffix;
            key[shared..].CopyTo(blob.AsSpan(_length));
            _length += suffix;
            WriteVarint(blob, plain);
            WriteVarint(blob, wildcard);
            if (wildcard != DnsNameIndex.Absent) _wildcardHashes[_wildcards] = KeyHashes.Hash(key);
        }
        if (wildcard != DnsNameIndex.Absent) _wildcards++;
        key.CopyTo(_previous);
        _previousLength = key.Length;
        _count++;
    }

    /// <summary>The finished index (a writing builder given every measured entry).</summary>
    public DnsNameIndex Build()
    {
        if (_blob is null || _length != _blob.Length || _wildcards != _wildcardHashes.Length)
        {
            throw new InvalidOperationException("the entries differ from the measured ones");
        }
        return new(_blob, _blockStart, _headPrefix, _count, new KeyHashes(_wildcardHashes));
    }

    private static int VarintLength(int value)
    {
        uint v = (uint)value;
        int length = 1;
        for (; v >= 0x80; v >>= 7) length++;
        return length;
    }

    private void WriteVarint(byte[] blob, int value)
    {
        uint v = (uint)value;
        while (v >= 0x80)
        {
            blob[_length++] = (byte)(v | 0x80);
            v >>= 7;
        }
        blob[_length++] = (byte)v;
    }
}
