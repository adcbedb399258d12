using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Ip4;

/// <summary>
/// What the IPv4 dataset types share: the value table, the per-file default value (a <c>:A:TXT</c>
/// line), exclusions, rbldnsd's host-bit and <c>$MAXRANGE4</c> rules, and the build into an
/// <see cref="Ip4Dataset"/>. Each type says how a key is read and how overlaps settle.
/// </summary>
internal abstract class Ip4LineParser(string type) : LineParser
{
    protected readonly ValueTable Values = new();
    protected readonly List<Ip4Entry> Entries = [];
    private readonly List<string> _files = [];

    /// <summary>The current default value id.</summary>
    protected int DefaultValue { get; set; } = -1;

    /// <summary>The dataset type name.</summary>
    public string Type { get; } = type;

    /// <summary>How overlapping entries settle.</summary>
    protected abstract OverlapRule Rule { get; }

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        _files.Add(context.File);
        DefaultValue = Values.Intern(RawValue.BuiltInDefault); // each file starts from the built-in default
    }

    private int _currentLine;

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        _currentLine = context.Line;
        if (line[0] == ':')
        {
            // A default line's ":A" takes its TXT from the built-in default (none), not from the current default.
            int value = ValueParser.ParseExplicit(line, RawValue.BuiltInDefault, Values, context);
            if (value >= 0) DefaultValue = value;
            return;
        }
        ParseEntry(line, context);
    }

    /// <summary>Parses one entry line (not a default-value line).</summary>
    protected abstract void ParseEntry(ReadOnlySpan<byte> line, DatasetLoadContext context);

    /// <summary>The "!" prefix: true when present, moving <paramref name="pos"/> past it and its blanks.</summary>
    protected static bool ReadExclusion(ReadOnlySpan<byte> line, ref int pos)
    {
        if (line[pos] != '!') return false;
        pos = Syntax.SkipSpace(line, pos + 1);
        return true;
    }

    /// <summary>True when the key ended where an entry may end: end, blank, comment or <c>:</c>.</summary>
    protected static bool KeyEnded(ReadOnlySpan<byte> line, int pos) => Syntax.IsKeyEnd(line, pos) || line[pos] == ':';

    /// <summary>Applies rbldnsd's host-bit rule to a CIDR; false (after a warning) when the entry must be skipped.</summary>
    protected static bool CheckHostBits(ref uint address, int bits, DatasetLoadContext context)
    {
        if (!Ip4Text.HasHostBits(address, bits)) return true;
        if (context.Options.AcceptHostBits)
        {
            address &= Ip4Text.Mask(bits);
            return true;
        }
        context.Warn("invalid range (non-zero host part)");
        return false;
    }

    /// <summary>Applies <c>$MAXRANGE4</c>; false (after a warning) when the entry covers too many addresses.</summary>
    protected static bool CheckMaxRange(uint first, uint last, DatasetLoadContext context)
    {
        uint max = context.MaxRange4;
        if (max == 0 || last - first < max) return true;
        context.Warn($"too large range ({(ulong)last - first + 1}) ignored ({max} max)");
        return false;
    }

    /// <summary>The entry's value: the default, or the one written after the key; -1 when invalid.</summary>
    protected int ReadValue(ReadOnlySpan<byte> line, int pos, DatasetLoadContext context) =>
        ValueParser.Parse(line[Syntax.SkipSpace(line, pos)..], DefaultValue, Values, context);

    /// <summary>Adds an entry for the current line.</summary>
    protected void Add(uint first, uint last, int rank, int value) =>
        Entries.Add(new Ip4Entry(first, last, (byte)rank, (ushort)(_files.Count - 1), value, _currentLine));

    /// <summary>Builds the dataset.</summary>
    public virtual Ip4Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        var sets = new ValueSetBuilder();
        var map = Ip4RangeMapBuilder.Build(Entries, Rule, sets, (kept, dropped) => WarnDuplicate(dropped, context));
        var info = DatasetInfo.From(Type, fileNames, context);
        return new Ip4Dataset(info, map, sets.Build(Values.Expand(context)));
    }

    private void WarnDuplicate(Ip4Entry dropped, DatasetLoadContext context)
    {
        (string file, int line) = (context.File, context.Line);
        (context.File, context.Line) = (_files[dropped.File], dropped.Line);
        context.Warn($"duplicated entry for {Ip4Text.ToText(dropped.First)}/{dropped.Rank}"); // ip4trie: rank = prefix length
        (context.File, context.Line) = (file, line);
    }
}
