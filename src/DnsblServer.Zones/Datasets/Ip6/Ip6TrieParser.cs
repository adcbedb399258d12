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
    private const int Exclusion = -1; // the value id of a "!" entry
    private readonly Ip6PrefixList _prefixes = new();
    private int _defaultValue = -1;

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        _files.Add(context.File);
        _defaultValue = _values.Intern(RawValue.BuiltInDefault); // each file starts from the built-in default
        // About one entry per 24 bytes of file (a /64 line is 20-26): reserve once, rather than doubling through
        // arrays of several MB (the old one is garbage at the load's peak). Room not filled is not touched (see
        // Ip6PrefixList.Reserve).
        _prefixes.Reserve(context.FileSize / 24);
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
            ? Exclusion
            : ValueParser.Parse(line[Syntax.SkipSpace(line, pos)..], _defaultValue, _values, context);
        if (valueId == -1 && !excluded) return;
        _prefixes.Add(address, bits, valueId, _files.Count - 1, context.Line);
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        var sets = new ValueSetBuilder();
        // rbldnsd warns as it reads the line; the build finds duplicates in address order and hands them back in file order
        (string currentFile, int currentLine) = (context.File, context.Line);
        var map = Ip6RangeMapBuilder.BuildLongestPrefix(_prefixes, sets, (file, line, network, bits) =>
        {
            (context.File, context.Line) = (_files[file], line);
            context.Warn($"duplicated entry for {Ip6Text.ToText(network)}/{bits}");
        });
        (context.File, context.Line) = (currentFile, currentLine);
        return new Ip6Dataset(DatasetInfo.From(Type, fileNames, context), map, sets.Build(_values.Expand(context)));
    }
}
