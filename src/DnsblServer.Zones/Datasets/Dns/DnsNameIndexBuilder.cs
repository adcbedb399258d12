using System.Runtime.InteropServices;

namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>Writes a <see cref="DnsNameIndex"/> from unique keys given in ascending bytewise order.</summary>
internal sealed class DnsNameIndexBuilder
{
    private byte[] _blob;
    private int _length;
    private readonly List<int> _blockStart = [];
    private readonly List<ulong> _headPrefix = [];
    private readonly List<uint> _wildcardHashes = [];
    private readonly byte[] _previous = new byte[DnsNameText.MaxWireLength];
    private int _previousLength;
    private int _count;

    /// <summary>Starts a builder sized for about <paramref name="expectedBytes"/> of entries.</summary>
    public DnsNameIndexBuilder(long expectedBytes) =>
        _blob = new byte[(int)Math.Clamp(expectedBytes, 256, Array.MaxLength)];

    /// <summary>Appends the next key (strictly greater than the previous one) with its two states.</summary>
    public void Add(ReadOnlySpan<byte> key, int plain, int wildcard)
    {
        int shared = 0;
        if (_count % DnsNameIndex.BlockSize == 0)
        {
            _blockStart.Add(_length);
            _headPrefix.Add(DnsNameIndex.Prefix(key));
        }
        else
        {
            shared = key.CommonPrefixLength(_previous.AsSpan(0, _previousLength));
        }
        int suffix = key.Length - shared;
        Reserve(2 + suffix + 10);
        _blob[_length++] = (byte)shared;
        _blob[_length++] = (byte)suffix;
        key[shared..].CopyTo(_blob.AsSpan(_length));
        _length += suffix;
        WriteVarint(plain);
        WriteVarint(wildcard);
        if (wildcard != DnsNameIndex.Absent) _wildcardHashes.Add(KeyHashes.Hash(key));
        key.CopyTo(_previous);
        _previousLength = key.Length;
        _count++;
    }

    /// <summary>The finished index.</summary>
    public DnsNameIndex Build() =>
        new(_blob[.._length], [.. _blockStart], [.. _headPrefix], _count, new KeyHashes(CollectionsMarshal.AsSpan(_wildcardHashes)));

    private void WriteVarint(int value)
    {
        uint v = (uint)value;
        while (v >= 0x80)
        {
            _blob[_length++] = (byte)(v | 0x80);
            v >>= 7;
        }
        _blob[_length++] = (byte)v;
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _blob.Length) return;
        Array.Resize(ref _blob, (int)Math.Min(Array.MaxLength, Math.Max((long)_blob.Length * 3 / 2, _length + bytes)));
    }
}
