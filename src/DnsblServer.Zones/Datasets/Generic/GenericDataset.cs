namespace DnsblServer.Zones.Datasets.Generic;

/// <summary>
/// A generic dataset after the build (rbldnsd_generic.c): A, TXT and MX records by exact owner name,
/// relative to the zone (the apex is the empty name). No wildcards, no empty non-terminals: a name
/// with records exists (NOERROR, NODATA for the other types), any other name does not.
/// </summary>
/// <remarks>
/// Records of one name are stored together, ordered A, MX, TXT (rbldnsd's order for ANY) and by
/// line within a type. rbldnsd rotates the records of a type by one on each answer (a process-wide
/// counter); exact duplicates are kept here and dropped when the answer is built, as rbldnsd does.
/// </remarks>
public sealed class GenericDataset : Dataset
{
    /// <summary>DNS type A.</summary>
    public const ushort TypeA = 1;

    /// <summary>DNS type MX.</summary>
    public const ushort TypeMx = 15;

    /// <summary>DNS type TXT.</summary>
    public const ushort TypeTxt = 16;

    /// <summary>DNS query type ANY.</summary>
    public const ushort TypeAny = 255;

    private readonly byte[] _names;        // owner names back to back, wire form without root, sorted bytewise
    private readonly int[] _nameStart;     // name i = _names[_nameStart[i].._nameStart[i + 1]]
    private readonly int[] _recordStart;   // records of name i = _records[_recordStart[i].._recordStart[i + 1]]
    private readonly GenericRecord[] _records;

    internal GenericDataset(DatasetInfo info, byte[] names, int[] nameStart, int[] recordStart, GenericRecord[] records) : base(info, DatasetKind.NameRecords)
    {
        _names = names;
        _nameStart = nameStart;
        _recordStart = recordStart;
        _records = records;
    }

    /// <summary>
    /// Finds the records of one owner name. Allocation-free.
    /// </summary>
    /// <param name="wireName">The name below the zone, lowercase wire form without the zone and without a
    /// root byte; empty for the apex.</param>
    /// <param name="queryType">A DNS type: 1, 15 or 16 give that type's records, 255 (ANY) all of them,
    /// anything else none.</param>
    /// <param name="records">The matching records (empty when the name has none of that type).</param>
    /// <returns>True when the name has any record (the answer is NOERROR even if <paramref name="records"/> is empty).</returns>
    public bool TryLookup(ReadOnlySpan<byte> wireName, ushort queryType, out ReadOnlySpan<GenericRecord> records)
    {
        records = default;
        int index = Find(wireName);
        if (index < 0) return false;
        ReadOnlySpan<GenericRecord> all = _records.AsSpan(_recordStart[index], _recordStart[index + 1] - _recordStart[index]);
        if (queryType == TypeAny)
        {
            records = all;
            return true;
        }
        int start = 0;
        while (start < all.Length && all[start].Type != queryType) start++;
        int end = start;
        while (end < all.Length && all[end].Type == queryType) end++;
        records = all[start..end];
        return true;
    }

    /// <summary>Every record at the zone apex (written with <c>@</c>), for ANY at the apex.</summary>
    public ReadOnlySpan<GenericRecord> ApexRecords => TryLookup([], TypeAny, out var records) ? records : default;

    /// <summary>The A records of a name below the zone (NS glue).</summary>
    public ReadOnlySpan<GenericRecord> AddressRecords(ReadOnlySpan<byte> wireName) =>
        TryLookup(wireName, TypeA, out var records) ? records : default;

    private int Find(ReadOnlySpan<byte> name)
    {
        int lo = 0, hi = _nameStart.Length - 2;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = _names.AsSpan(_nameStart[mid], _nameStart[mid + 1] - _nameStart[mid]).SequenceCompareTo(name);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>Distinct owner names.</summary>
    public int NameCount => _nameStart.Length - 1;

    /// <summary>Every owner name (wire form, no root) with its records, in stored order (dumps, tests).</summary>
    public IEnumerable<(byte[] Name, GenericRecord[] Records)> Entries()
    {
        for (int i = 0; i < NameCount; i++)
        {
            yield return (_names[_nameStart[i].._nameStart[i + 1]], _records[_recordStart[i].._recordStart[i + 1]]);
        }
    }

    /// <inheritdoc />
    public override long EntryCount => _records.Length;

    /// <inheritdoc />
    public override long SizeInBytes
    {
        get
        {
            long size = _names.Length + _nameStart.Length * 4L + _recordStart.Length * 4L + _records.Length * 16L;
            foreach (var record in _records) size += record.Rdata.Length + 24;
            return size;
        }
    }
}
