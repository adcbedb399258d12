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
/// Lines are collected as (reversed wire key, arrays, value) records in a bounded <see cref="DnsNameChunk"/>
/// (64K records, under 3 MB); each full chunk is sorted and front-coded into a compact run (~14 B per record).
/// <see cref="Finish"/> merges the runs (<see cref="DnsNameRunMerge"/>: key order, equal keys in file order),
/// settles each name per array (any exclusion wins; otherwise the distinct values in file order, as
/// rbldnsd returns all values of a name) and writes the front-coded <see cref="DnsNameIndex"/>. It merges
/// twice: once to measure the index (recording which run each record came from), once, replaying that
/// order without comparing keys, to write it into arrays of their exact size. The build's scratch
/// is then the runs, that order and one chunk, about 14 + 1 + 3 MB for a million names, instead of the whole file's keys
/// and records, a 2x-reserved index and its copy (issue 12: a 1M-name load peaked near 100 MB).
/// </remarks>
public sealed class DnsSetParser : LineParser
{
    private const byte PlainArray = 1;
    private const byte WildcardArray = 2;
    private const int Exclusion = DnsNameChunk.Exclusion;

    private readonly ValueTable _values = new();
    private DnsNameChunk? _chunk;
    private readonly List<byte[]> _runs = [];
    private int _records; // in the runs
    private int _default = -1;

    /// <summary>A parser that sorts its lines in chunks of <see cref="DnsNameChunk.DefaultRecords"/>.</summary>
    public DnsSetParser() : this(DnsNameChunk.DefaultRecords) { }

    /// <summary>A parser that sorts its lines in chunks of <paramref name="chunkRecords"/> (tests: many runs).</summary>
    internal DnsSetParser(int chunkRecords) => _chunk = new DnsNameChunk(chunkRecords);

    /// <summary>The dataset type name.</summary>
    public const string Type = "dnset";

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        _default = _values.Intern(RawValue.BuiltInDefault); // each file starts from the built-in default
        Chunk.ReserveForFile(context.FileSize);
    }

    /// <inheritdoc />
    [System.Runtime.CompilerServices.SkipLocalsInit] // the name buffer is written before it is read (1% of a load went to clearing it)
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

    private void AddRun(DnsNameChunk chunk)
    {
        _records += chunk.Count;
        _runs.Add(chunk.ToRun());
    }

    private DnsNameChunk Chunk => _chunk ?? throw new InvalidOperationException("the dataset is already built");

    private void Add(ReadOnlySpan<byte> wire, byte arrays, int valueId)
    {
        DnsNameChunk chunk = Chunk;
        if (chunk.TryAdd(wire, arrays, valueId)) return;
        AddRun(chunk);
        chunk.TryAdd(wire, arrays, valueId); // an empty chunk takes any name
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
        DnsNameChunk chunk = Chunk;
        if (chunk.Count > 0) AddRun(chunk);
        _chunk = null; // its buffers are garbage from here on
        var sets = new ValueSetBuilder();
        var stats = new DnsSetStats();
        var measured = new DnsNameIndexBuilder();
        // The first merge records where each record came from (1 B per record), so the second needs no key comparisons.
        byte[]? order = _runs.Count is > 1 and <= DnsNameRunMerge.MaxRecordedRuns ? new byte[_records] : null;
        Settle(new DnsNameRunMerge(_runs, order), sets, measured, stats);
        var index = new DnsNameIndexBuilder(measured);
        // The same entries and set ids: ValueSetBuilder finds the sets it made.
        Settle(new DnsNameRunMerge(_runs, order, replay: true), sets, index, stats: null);
        _runs.Clear();
        var info = DatasetInfo.From(Type, fileNames, context);
        return new DnsSetDataset(info, index.Build(), sets.Build(_values.Expand(context)), stats);
    }

    // Merges the runs and gives each name, with its two states, to the index builder.
    private static void Settle(DnsNameRunMerge merge, ValueSetBuilder sets, DnsNameIndexBuilder index, DnsSetStats? stats)
    {
        var key = new byte[DnsNameText.MaxWireLength];
        var plainValues = new List<int>();
        var wildcardValues = new List<int>();
        bool more = merge.MoveNext();
        while (more)
        {
            ulong prefix = merge.Prefix;
            int length = merge.Key.Length;
            merge.Key.CopyTo(key);
            byte arrays = merge.Arrays;
            int value = merge.Value;
            more = merge.MoveNext();
            int plain, wildcard;
            bool inPlain = (arrays & PlainArray) != 0, inWildcard = (arrays & WildcardArray) != 0;
            if (!more || merge.Prefix != prefix || !merge.Key.SequenceEqual(key.AsSpan(0, length)))
            {
                // Most names are on one line: its state is its value.
                int state = value == Exclusion ? DnsNameIndex.Excluded : sets.ForValue(value) + 1;
                plain = inPlain ? state : DnsNameIndex.Absent;
                wildcard = inWildcard ? state : DnsNameIndex.Absent;
            }
            else
            {
                bool plainExcluded = false, wildcardExcluded = false;
                inPlain = inWildcard = false;
                plainValues.Clear();
                wildcardValues.Clear();
                while (true)
                {
                    if ((arrays & PlainArray) != 0) Collect(value, plainValues, ref inPlain, ref plainExcluded);
                    if ((arrays & WildcardArray) != 0) Collect(value, wildcardValues, ref inWildcard, ref wildcardExcluded);
                    if (!more || merge.Prefix != prefix || !merge.Key.SequenceEqual(key.AsSpan(0, length))) break;
                    arrays = merge.Arrays;
                    value = merge.Value;
                    more = merge.MoveNext();
                }
                plain = State(inPlain, plainExcluded, plainValues, sets);
                wildcard = State(inWildcard, wildcardExcluded, wildcardValues, sets);
            }
            if (stats is not null)
            {
                int labels = DnsNameText.CountLabels(key.AsSpan(0, length));
                if (inPlain) stats.AddPlain(labels);
                if (inWildcard) stats.AddWildcard(labels);
            }
            index.Add(key.AsSpan(0, length), plain, wildcard);
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
}
