using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Ip6;

/// <summary>
/// ip6trie (rbldnsd_ip6trie.c): IPv6 prefixes with per-entry values and exclusions; the longest
/// prefix decides, the first of identical prefixes is kept (later ones are warned about as
/// "duplicated entry"), and an exclusion is a prefix without a value. A <c>:A:TXT</c> line sets the
/// default value until the end of its file, but a line starting with <c>::</c> is an address.
/// Keys are read by <see cref="Ip6Text.TryParseCidr"/>; host bits under the prefix length are refused
/// unless <see cref="LoadOptions.AcceptHostBits"/> (rbldnsd -e), which clears them.
/// </summary>
public sealed class Ip6TrieParser : LineParser
{
    /// <summary>The dataset type name.</summary>
    public const string Type = "ip6trie";

    private readonly ValueTable _values = new();
    private readonly List<string> _files = [];
    private Ip6Entry[] _entries = new Ip6Entry[64];
    private int _count;
    private int _defaultValue = -1;

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        _files.Add(context.File);
        _defaultValue = _values.Intern(RawValue.BuiltInDefault); // each file starts from the built-in default
        // About one entry per 24 bytes of file (a /64 line is 20-26): reserve once, rather than doubling through
        // 16 and 32 MB arrays at once for 1M entries (the old one is garbage at the load's peak).
        long expected = _count + context.FileSize / 24;
        if (expected > _entries.Length) Array.Resize(ref _entries, (int)Math.Min(expected, Array.MaxLength));
    }

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        if (line[0] == ':' && (line.Length < 2 || line[1] != ':'))
        {
            // A default line's ":A" takes its TXT from the built-in default (none), not from the current default.
            int value = ValueParser.ParseExplicit(line, RawValue.BuiltInDefault, _values, context);
            if (value >= 0) _defaultValue = value;
            return;
        }
        int pos = 0;
        bool excluded = Ip6Syntax.ReadExclusion(line, ref pos);
        if (!Ip6Text.TryParseCidr(line, ref pos, out UInt128 address, out int bits) || !Ip6Syntax.KeyEnded(line, pos))
        {
            context.Warn("invalid address");
            return;
        }
        if (Ip6Text.HasHostBits(address, bits))
        {
            if (!context.Options.AcceptHostBits)
            {
                context.Warn("invalid range (non-zero host part)");
                return;
            }
            address &= Ip6Text.Mask(bits);
        }
        int valueId = excluded
            ? Ip6Entry.Exclusion
            : ValueParser.Parse(line[Syntax.SkipSpace(line, pos)..], _defaultValue, _values, context);
        if (valueId == -1 && !excluded) return;
        if (_count == _entries.Length) Array.Resize(ref _entries, _count * 2);
        _entries[_count++] = new Ip6Entry((ulong)(address >> 64), (ulong)address, (byte)bits, (ushort)(_files.Count - 1), valueId, context.Line);
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        var sets = new ValueSetBuilder();
        var duplicates = new List<Ip6Entry>();
        SortForBuild(_entries, _count);
        var map = Ip6RangeMapBuilder.BuildLongestPrefix(_entries.AsSpan(0, _count), sets, duplicates.Add);
        WarnDuplicates(duplicates, context);
        _entries = [];
        return new Ip6Dataset(DatasetInfo.From(Type, fileNames, context), map, sets.Build(_values.Expand(context)));
    }

    // The builder's order (address, length, file order) in two steps: a sort on the top 64 bits as plain numbers
    // (several times faster than the comparer over 32-byte entries, which was a third of a 1M-line load), then the
    // full comparer on each run of equal top halves (a /64 and the longer prefixes inside it: short runs).
    private static void SortForBuild(Ip6Entry[] entries, int count)
    {
        if (Ip6RangeMapBuilder.IsSorted(entries.AsSpan(0, count))) return;
        var keys = new ulong[count];
        for (int i = 0; i < count; i++) keys[i] = entries[i].High;
        Array.Sort(keys, entries, 0, count);
        var order = new Ip6RangeMapBuilder.EntryOrder();
        for (int i = 0; i < count;)
        {
            int j = i + 1;
            while (j < count && keys[j] == keys[i]) j++;
            if (j - i > 1) entries.AsSpan(i, j - i).Sort(order);
            i = j;
        }
    }

    // rbldnsd warns as it reads the line; the build finds duplicates in address order, so put them back in file order.
    private void WarnDuplicates(List<Ip6Entry> duplicates, DatasetLoadContext context)
    {
        if (duplicates.Count == 0) return;
        duplicates.Sort((x, y) => x.File != y.File ? x.File.CompareTo(y.File) : x.Line.CompareTo(y.Line));
        (string currentFile, int currentLine) = (context.File, context.Line);
        foreach (var d in duplicates)
        {
            (context.File, context.Line) = (_files[d.File], d.Line);
            context.Warn($"duplicated entry for {Ip6Text.ToText(d.First)}/{d.Bits}");
        }
        (context.File, context.Line) = (currentFile, currentLine);
    }
}
