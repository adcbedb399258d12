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
internal abstract class Ip4LineParser(string type, bool warnDuplicates = false) : LineParser
{
    protected readonly ValueTable Values = new();
    protected readonly List<Ip4Entry> Entries = [];   // everything but single addresses
    protected readonly Ip4Singles Singles = new(warnDuplicates);
    private readonly List<string> _files = [];

    /// <summary>Hears every entry as it is read (the <c>explain</c> verb); null when loading normally.</summary>
    public Action<EntryTrace>? Tracer { get; init; }

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
        Singles.Reserve(context.FileSize / 12); // a line holding one address is 8 to 16 bytes
        DefaultValue = Values.Intern(RawValue.BuiltInDefault); // each file starts from the built-in default
    }

    private int _currentLine;
    private string? _line;

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        _currentLine = context.Line;
        // Most lines of a real list are a bare address with the default value: take them without the
        // general machinery (a third of the load time on a 5M-line file). Same result in every type.
        _line = Tracer is null ? default : System.Text.Encoding.Latin1.GetString(line);
        if (IsBareAddress(line, out uint address))
        {
            Add(address, address, 32, DefaultValue);
            return;
        }
        if (line[0] == ':')
        {
            // A default line's ":A" takes its TXT from the built-in default (none), not from the current default.
            int value = ValueParser.ParseExplicit(line, RawValue.BuiltInDefault, Values, context);
            if (value >= 0) DefaultValue = value;
            return;
        }
        ParseEntry(line, context);
    }

    // "a.b.c.d", then nothing, or blanks and a comment.
    private static bool IsBareAddress(ReadOnlySpan<byte> line, out uint address)
    {
        address = 0;
        int pos = 0;
        for (int octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (pos >= line.Length || line[pos] != '.') return false;
                pos++;
            }
            uint value = 0;
            int start = pos;
            while (pos < line.Length && (uint)(line[pos] - '0') <= 9)
            {
                value = value * 10 + (uint)(line[pos++] - '0');
                if (value > 255) return false;
            }
            if (pos == start) return false;
            address = (address << 8) | value;
        }
        if (pos == line.Length) return true;
        if (!Syntax.IsSpace(line[pos]) && !Syntax.IsComment(line[pos])) return false;
        pos = Syntax.SkipSpace(line, pos);
        return pos == line.Length || Syntax.IsComment(line[pos]);
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
    protected void Add(uint first, uint last, int rank, int value)
    {
        Tracer?.Invoke(new EntryTrace(_files[^1], _currentLine, _line ?? "", first, last, value >= 0 ? Values[value] : null));
        if (first == last && rank == 32) Singles.Add(first, value, _currentLine, (ushort)(_files.Count - 1));
        else Entries.Add(new Ip4Entry(first, last, (byte)rank, (ushort)(_files.Count - 1), value, _currentLine));
    }

    /// <summary>Builds the dataset.</summary>
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        var sets = new ValueSetBuilder();
        var map = Ip4RangeMapBuilder.Build(Singles, Entries, Rule, sets, (file, line, address, bits) => WarnDuplicate(file, line, address, bits, context));
        var info = DatasetInfo.From(Type, fileNames, context);
        return new Ip4Dataset(info, map, sets.Build(Values.Expand(context)));
    }

    private void WarnDuplicate(ushort file, int line, uint address, int bits, DatasetLoadContext context)
    {
        (string currentFile, int currentLine) = (context.File, context.Line);
        (context.File, context.Line) = (_files[file], line);
        context.Warn($"duplicated entry for {Ip4Text.ToText(address)}/{bits}");
        (context.File, context.Line) = (currentFile, currentLine);
    }
}
