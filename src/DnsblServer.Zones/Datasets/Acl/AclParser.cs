using DnsblServer.Addressing;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Acl;

/// <summary>
/// Reads an acl dataset (rbldnsd_acl.c, behaviour checked against the Debian binary, see README.md):
/// one client IPv4 or IPv6 CIDR per line (ip4trie/ip6trie syntax), then an optional action:
/// <c>:ignore</c>/<c>:blackhole</c>, <c>:refuse</c>, <c>:empty</c>, <c>:pass</c> (case-insensitive,
/// any prefix such as <c>:ref</c>, also written <c>=refuse</c>) or an A:TXT value. A line starting
/// with <c>:</c> (not <c>::</c>) or <c>=</c> sets the default for later lines of the file; each file
/// starts with ignore. Longest prefix wins; of duplicate prefixes the first is kept.
/// </summary>
internal sealed class AclParser : LineParser
{
    // Keyword actions are values with A = 0, which no parsed value can have ("invalid A RR"), so they
    // share the value table, the range builder and the set ids with the A:TXT values.
    private static readonly (string Name, AclAction Action)[] Keywords =
    [
        ("ignore", AclAction.Ignore), ("blackhole", AclAction.Ignore), ("refuse", AclAction.Refuse),
        ("empty", AclAction.Empty), ("pass", AclAction.Pass),
    ];

    private readonly ValueTable _values = new();
    private readonly int[] _keywordValue = new int[Keywords.Length];
    private readonly Ip4Singles _singles = new(trackLines: true);
    private readonly List<Ip4Entry> _ranges = [];
    private readonly Ip6PrefixList _ip6 = new();
    private readonly List<string> _files = [];
    private int _defaultAction;   // value id of the current default action (a keyword or a value)
    private int _defaultValue;    // value id of the current default A:TXT, which ":A" and bare TXT entries inherit


    /// <summary>Creates a parser.</summary>
    public AclParser()
    {
        for (int i = 0; i < Keywords.Length; i++) _keywordValue[i] = _values.Intern(new RawValue(0, Keywords[i].Name));
    }

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context)
    {
        _files.Add(context.File);
        _defaultAction = _keywordValue[0]; // ignore
        _defaultValue = _values.Intern(RawValue.BuiltInDefault);
    }

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        if ((line[0] == ':' && (line.Length < 2 || line[1] != ':')) || line[0] == '=')
        {
            ParseDefault(line, context);
            return;
        }
        int pos = 0;
        if (Ip4Text.TryParseCidr(line, ref pos, out uint address, out int bits) && IsTail(line, pos))
        {
            if (!CheckIp4(ref address, bits, context)) return;
            int value = ReadAction(line[Syntax.SkipSpace(line, pos)..], context);
            if (value < 0) return;
            uint last = address | ~Ip4Text.Mask(bits);
            if (bits == 32) _singles.Add(address, value, context.Line, (ushort)(_files.Count - 1));
            else _ranges.Add(new Ip4Entry(address, last, (byte)bits, (ushort)(_files.Count - 1), value, context.Line));
            return;
        }
        pos = 0;
        if (Ip6Text.TryParseCidr(line, ref pos, out UInt128 address6, out bits) && IsTail(line, pos))
        {
            UInt128 network = address6 & Ip6Text.Mask(bits);
            if (network != address6 && !context.Options.AcceptHostBits)
            {
                context.Warn("invalid range (non-zero host part)");
                return;
            }
            int value = ReadAction(line[Syntax.SkipSpace(line, pos)..], context);
            if (value < 0) return;
            _ip6.Add(network, bits, value, _files.Count - 1, context.Line);
            return;
        }
        context.Warn("invalid address");
    }

    // The address may be followed by the end, a blank, a comment or ':' (VALID_TAIL in rbldnsd_acl.c).
    private static bool IsTail(ReadOnlySpan<byte> line, int pos) => Syntax.IsKeyEnd(line, pos) || line[pos] == ':';

    private static bool CheckIp4(ref uint address, int bits, DatasetLoadContext context)
    {
        if (Ip4Text.HasHostBits(address, bits))
        {
            if (!context.Options.AcceptHostBits)
            {
                context.Warn("invalid range (non-zero host part)");
                return false;
            }
            address &= Ip4Text.Mask(bits);
        }
        uint max = context.MaxRange4;
        uint span = ~Ip4Text.Mask(bits);
        if (max != 0 && max <= span)
        {
            context.Warn($"too large range ({(ulong)span + 1}) ignored ({max} max)");
            return false;
        }
        return true;
    }

    // A ":..." or "=..." line: a keyword sets only the default action; an A:TXT sets both the default
    // action and the value that ":A" and bare-TXT entries inherit. rbldnsd also points the inherited
    // value at the keyword, and then crashes (SIGSEGV) on the next ":A" or bare-TXT entry; here that
    // entry inherits the last A:TXT default instead.
    private void ParseDefault(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        int value = ParseAction(line, context);
        if (value < 0) return;
        _defaultAction = value;
        if (!IsKeyword(value)) _defaultValue = value;
    }

    // The action after an entry's address (s starts at the first non-blank): nothing or a comment
    // means the current default action.
    private int ReadAction(ReadOnlySpan<byte> s, DatasetLoadContext context) =>
        s.IsEmpty || Syntax.IsComment(s[0]) ? _defaultAction : ParseAction(s, context);

    // ds_acl_parse_val: "=keyword" (anything else after '=' is an invalid keyword), ":keyword", or a
    // value as in every other dataset, its missing A or TXT taken from the current default value.
    private int ParseAction(ReadOnlySpan<byte> s, DatasetLoadContext context)
    {
        if (s[0] == '=')
        {
            int keyword = MatchKeyword(s[1..]);
            if (keyword >= 0) return _keywordValue[keyword];
            context.Warn("invalid keyword");
            return -1;
        }
        if (s[0] == ':' && MatchKeyword(s[1..]) is int k and >= 0) return _keywordValue[k];
        return ValueParser.ParseExplicit(s, _values[_defaultValue], _values, context);
    }

    // A keyword starts with a letter and matches as soon as the text ends (end, ':', blank or comment)
    // while still agreeing with it, so any prefix works (":ref" = refuse); longer words do not
    // (":refusexyz" is then read as a value: invalid A RR). A CR is not an end: ":refuse\r" fails.
    private static int MatchKeyword(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty || !char.IsAsciiLetter((char)s[0])) return -1;
        for (int k = 0; k < Keywords.Length; k++)
        {
            string name = Keywords[k].Name;
            for (int i = 0; i < name.Length && i < s.Length; i++)
            {
                byte c = s[i];
                if ((c is >= (byte)'A' and <= (byte)'Z' ? c | 0x20 : c) != name[i]) break;
                if (i + 1 == s.Length || s[i + 1] == ':' || Syntax.IsSpace(s[i + 1]) || Syntax.IsComment(s[i + 1])) return k;
            }
        }
        return -1;
    }

    private bool IsKeyword(int value) => value < Keywords.Length; // the keywords were interned first

    /// <summary>Builds the dataset.</summary>
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        var sets = new ValueSetBuilder();
        var ip4 = Ip4RangeMapBuilder.Build(_singles, _ranges, OverlapRule.LongestPrefix, sets,
            (file, line, address, bits) => WarnAt(file, line, $"duplicated entry for {Ip4Text.ToText(address)}/{bits}", context));
        // the same longest-prefix map as ip6trie: the first line of a prefix wins, the others are duplicates
        var ip6 = Ip6RangeMapBuilder.BuildLongestPrefix(_ip6, sets,
            (file, line, network, bits) => WarnAt((ushort)file, line, $"duplicated entry for {Ip6Text.ToText(network)}/{bits}", context));
        var valueSets = sets.Build(_values.Expand(context));

        var actions = new AclAction[valueSets.Count];
        for (int set = 1; set < actions.Length; set++)
        {
            int value = sets.ValuesOf(set)[0];
            actions[set] = IsKeyword(value) ? Keywords[value].Action : AclAction.AlwaysListed;
        }
        // rbldnsd refuses $SOA/$NS here with a warning at the line; the shared special-line reader has
        // already taken them, so they are dropped (one warning, without a line number).
        if (context.Soa is not null || context.Ns is not null) context.Warn("$SOA and $NS are not allowed in an acl dataset (ignored)");
        var info = DatasetInfo.From("acl", fileNames, context) with { Soa = null, Ns = null };
        return new AclDataset(info, ip4, ip6, valueSets, actions);
    }

    private void WarnAt(ushort file, int line, string message, DatasetLoadContext context)
    {
        (string currentFile, int currentLine) = (context.File, context.Line);
        (context.File, context.Line) = (_files.Count > file ? _files[file] : currentFile, line);
        context.Warn(message);
        (context.File, context.Line) = (currentFile, currentLine);
    }
}
