using DnsblServer.Zones.Files;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>
/// dnset (rbldnsd_dnset.c): one domain name per line. <c>example.com</c> goes to the plain array,
/// <c>*.example.com</c> to the wildcard array, <c>.example.com</c> to both; <c>!</c> makes the line an
/// exclusion in the array(s) its spelling names. A <c>:A:TXT</c> line sets the default value until the end
/// of the file. The name is the whole first word (it ends at a blank only: <c>a.com:2</c> is a name), lowercased.
/// </summary>
/// <remarks>
/// Lines are collected as (reversed wire key, arrays, value) records; <see cref="Finish"/> sorts them once,
/// settles each name per array (any exclusion wins; otherwise the distinct values in file order, as
/// rbldnsd returns all values of a name) and writes the front-coded <see cref="DnsNameIndex"/>.
/// </remarks>
public sealed class DnsSetParser : LineParser
{
    private const byte PlainArray = 1;
    private const byte WildcardArray = 2;
    private const int Exclusion = -1;

    private readonly ValueTable _values = new();
    private byte[] _keys = new byte[1 << 12];
    private int _keysLength;
    private Record[] _records = new Record[256];
    private ulong[] _prefixes = new ulong[256]; // first 8 key bytes of each record, kept apart to sort as numbers
    private int _count;
    private int _default = -1;

    /// <summary>The dataset type name.</summary>
    public const string Type = "dnset";

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        _default = _values.Intern(RawValue.BuiltInDefault); // each file starts from the built-in default
        // About one record per 16 bytes of file: reserve once instead of doubling through a large list.
        long expected = _count + context.FileSize / 16;
        if (expected > _records.Length) Grow((int)Math.Min(expected, Array.MaxLength));
        long keyBytes = _keysLength + context.FileSize; // a key is about as long as its name's text
        if (keyBytes > _keys.Length) Array.Resize(ref _keys, (int)Math.Min(keyBytes, Array.MaxLength));
    }

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        if (line[0] == ':')
        {
            // A default line's ":A" takes its TXT from the built-in default (none), not from the current default.
            int value = ValueParser.ParseExplicit(line, RawValue.BuiltInDefault, _values, context);
            if (value >= 0) _default = value;
            return;
        }
        int pos = 0;
        bool excluded = line[0] == '!';
        if (excluded) pos = Syntax.SkipSpace(line, 1);
        byte arrays = PlainArray;
        if (pos < line.Length && line[pos] == '.')
        {
            arrays = PlainArray | WildcardArray;
            pos++;
        }
        else if (pos + 1 < line.Length && line[pos] == '*' && line[pos + 1] == '.')
        {
            arrays = WildcardArray;
            pos += 2;
        }
        Span<byte> wire = stackalloc byte[DnsNameText.MaxWireLength];
        if (!DnsNameText.TryReadWord(line, ref pos, wire, out int length) || length == 0)
        {
            context.Warn("invalid domain name");
            return;
        }
        int valueId = Exclusion;
        if (!excluded)
        {
            valueId = ValueParser.Parse(line[pos..], _default, _values, context);
            if (valueId < 0) return; // invalid value: the line is skipped
        }
        wire = wire[..length];
        DnsNameText.ToLower(wire);
        Add(wire, arrays, valueId);
    }

    private void Add(ReadOnlySpan<byte> wire, byte arrays, int valueId)
    {
        if (_keysLength + wire.Length > _keys.Length)
        {
            Array.Resize(ref _keys, (int)Math.Min(Array.MaxLength, Math.Max(_keys.Length * 2L, _keysLength + wire.Length)));
        }
        Span<byte> key = _keys.AsSpan(_keysLength, wire.Length);
        Reverse(wire, key);
        if (_count == _records.Length) Grow((int)Math.Min(Array.MaxLength, _records.Length * 2L));
        _prefixes[_count] = DnsNameIndex.Prefix(key);
        _records[_count++] = new Record(_keysLength, valueId, (byte)wire.Length, arrays);
        _keysLength += wire.Length;
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _records, capacity);
        Array.Resize(ref _prefixes, capacity);
    }

    /// <summary>Writes the labels of <paramref name="wire"/> in reverse order (the index key).</summary>
    internal static void Reverse(ReadOnlySpan<byte> wire, Span<byte> key)
    {
        int end = key.Length;
        for (int pos = 0; pos < wire.Length;)
        {
            int size = wire[pos] + 1;
            end -= size;
            wire.Slice(pos, size).CopyTo(key[end..]);
            pos += size;
        }
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        SortRecords();
        var sets = new ValueSetBuilder();
        var index = new DnsNameIndexBuilder(_keysLength + _count * 4L);
        var plainValues = new List<int>();
        var wildcardValues = new List<int>();
        var stats = new DnsSetStats();
        for (int i = 0; i < _count;)
        {
            ReadOnlySpan<byte> key = KeyOf(_records[i]);
            bool plainExcluded = false, wildcardExcluded = false, inPlain = false, inWildcard = false;
            plainValues.Clear();
            wildcardValues.Clear();
            int j = i;
            for (; j < _count && _prefixes[j] == _prefixes[i] && KeyOf(_records[j]).SequenceEqual(key); j++)
            {
                Record r = _records[j];
                if ((r.Arrays & PlainArray) != 0) Collect(r.Value, plainValues, ref inPlain, ref plainExcluded);
                if ((r.Arrays & WildcardArray) != 0) Collect(r.Value, wildcardValues, ref inWildcard, ref wildcardExcluded);
            }
            int plain = State(inPlain, plainExcluded, plainValues, sets);
            int wildcard = State(inWildcard, wildcardExcluded, wildcardValues, sets);
            int labels = DnsNameText.CountLabels(key);
            if (inPlain) stats.AddPlain(labels);
            if (inWildcard) stats.AddWildcard(labels);
            index.Add(key, plain, wildcard);
            i = j;
        }
        var info = DatasetInfo.From(Type, fileNames, context);
        var dataset = new DnsSetDataset(info, index.Build(), sets.Build(_values.Expand(context)), stats);
        _records = [];
        _prefixes = [];
        _keys = [];
        _count = _keysLength = 0;
        return dataset;
    }

    private ReadOnlySpan<byte> KeyOf(in Record r) => _keys.AsSpan(r.KeyOffset, r.KeyLength);

    // The records in key order, equal keys in file order, sorted in place with their 8-byte prefixes: the
    // prefixes sort as plain numbers (an Array.Sort of ulong keys is several times faster than a comparer over
    // key bytes), and only runs of equal prefixes then need their key bytes compared. In place, rather than
    // through an index: no 4 B per record at the load's peak, and the build reads the records in order.
    private void SortRecords()
    {
        Array.Sort(_prefixes, _records, 0, _count);
        var byKey = new RecordOrder(_keys);
        for (int i = 0; i < _count;)
        {
            int j = i + 1;
            while (j < _count && _prefixes[j] == _prefixes[i]) j++;
            if (j - i > 1) _records.AsSpan(i, j - i).Sort(byKey);
            i = j;
        }
    }

    private static void Collect(int value, List<int> values, ref bool present, ref bool excluded)
    {
        present = true;
        if (value == Exclusion) excluded = true;
        else if (!values.Contains(value)) values.Add(value); // rbldnsd drops entries equal in A and TXT
    }

    // 0 absent, 1 excluded (any exclusion of the name in this array wins), else value-set id + 1.
    private static int State(bool present, bool excluded, List<int> values, ValueSetBuilder sets) =>
        !present ? DnsNameIndex.Absent : excluded ? DnsNameIndex.Excluded : sets.ForValues(values) + 1;

    private readonly record struct Record(int KeyOffset, int Value, byte KeyLength, byte Arrays);

    // Key order, then file order (keys are appended as lines are read, so the offset is the line order).
    private readonly struct RecordOrder(byte[] keys) : IComparer<Record>
    {
        public int Compare(Record a, Record b)
        {
            int c = keys.AsSpan(a.KeyOffset, a.KeyLength).SequenceCompareTo(keys.AsSpan(b.KeyOffset, b.KeyLength));
            return c != 0 ? c : a.KeyOffset.CompareTo(b.KeyOffset);
        }
    }
}
