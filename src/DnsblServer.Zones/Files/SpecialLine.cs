using System.Text;

namespace DnsblServer.Zones.Files;

/// <summary>
/// The <c>$</c> specials (ds_special in rbldnsd_zones.c): SOA, NS/nameserver, TTL, MAXRANGE4,
/// TIMESTAMP, <c>$0</c>..<c>$9</c> and <c>$=</c>. An unknown or malformed special is a warning;
/// only a <c>$TIMESTAMP</c> in the future aborts the load.
/// </summary>
public static class SpecialLine
{
    /// <summary>Parses one special (the text after <c>$</c>).</summary>
    /// <returns>Null, or the reason the whole load must fail.</returns>
    public static LoadDiagnostic? Parse(ReadOnlySpan<byte> s, DatasetLoadContext context)
    {
        int pos;
        bool ok;
        if ((pos = FirstWord(s, "soa"u8)) >= 0) ok = ParseSoa(s, pos, context);
        else if ((pos = FirstWord(s, "ns"u8)) >= 0 || (pos = FirstWord(s, "nameserver"u8)) >= 0) ok = ParseNs(s, pos, context);
        else if ((pos = FirstWord(s, "ttl"u8)) >= 0) ok = ParseTtl(s, pos, context);
        else if ((pos = FirstWord(s, "maxrange4"u8)) >= 0) ok = ParseMaxRange(s, pos, context);
        else if ((pos = FirstWord(s, "timestamp"u8)) >= 0) return ParseTimestamp(s, pos, context, out ok) ?? Report(ok, context);
        else if (s.Length > 1 && ((uint)(s[0] - '0') <= 9 || s[0] == '=') && Syntax.IsSpace(s[1])) ok = ParseVariable(s, context);
        else ok = false;
        return Report(ok, context);
    }

    private static LoadDiagnostic? Report(bool ok, DatasetLoadContext context)
    {
        if (!ok) context.Warn("invalid or unrecognized special entry");
        return null;
    }

    private static bool ParseSoa(ReadOnlySpan<byte> s, int pos, DatasetLoadContext context)
    {
        if (context.Soa is not null) return true; // the first $SOA wins
        if (!Numbers.TryParseTime(s, ref pos, out uint ttl)) return false;
        if (!TryParseName(s, ref pos, out string origin) || !TryParseName(s, ref pos, out string person)) return false;
        if (!Numbers.TryParseUInt32(s, ref pos, out uint serial)) return false;
        Span<uint> times = stackalloc uint[4];
        for (int i = 0; i < 4; i++)
        {
            if (!Numbers.TryParseTime(s, ref pos, out times[i])) return false;
        }
        if (pos < s.Length) return false;
        context.Soa = new SoaData(context.Options.ClampTtl(ttl, context.Ttl), origin, person, serial, times[0], times[1], times[2], times[3]);
        return true;
    }

    private static bool ParseNs(ReadOnlySpan<byte> s, int pos, DatasetLoadContext context)
    {
        if (context.Ns is not null) return true; // the first $NS line wins
        if (!Numbers.TryParseTime(s, ref pos, out uint ttl)) return false;
        var names = new List<string>();
        do
        {
            if (pos < s.Length && s[pos] == '-')
            {
                // "-name" is a commented-out name server
                while (pos < s.Length && !Syntax.IsSpace(s[pos])) pos++;
                pos = Syntax.SkipSpace(s, pos);
                continue;
            }
            if (!TryParseName(s, ref pos, out string name)) return false;
            names.Add(name);
        } while (pos < s.Length);
        context.Ns = new NsData(context.Options.ClampTtl(ttl, context.Ttl), names);
        return true;
    }

    private static bool ParseTtl(ReadOnlySpan<byte> s, int pos, DatasetLoadContext context)
    {
        if (!Numbers.TryParseTime(s, ref pos, out uint ttl) || pos < s.Length) return false;
        context.Ttl = context.Options.ClampTtl(ttl, context.Options.DefaultTtl);
        return true;
    }

    private static bool ParseMaxRange(ReadOnlySpan<byte> s, int pos, DatasetLoadContext context)
    {
        bool cidr = pos < s.Length && s[pos] == '/';
        if (cidr) pos++;
        if (!Numbers.TryParseUInt32(s, ref pos, out uint value) || pos < s.Length || value == 0) return false;
        if (cidr)
        {
            if (value > 32) return false;
            value = unchecked(~Addressing.Ip4Text.Mask((int)value) + 1); // /0 wraps to 0: no limit, as in rbldnsd
        }
        if (context.MaxRange4 != 0 && context.MaxRange4 < value)
        {
            context.Warn($"ignoring attempt to increase $MAXRANGE4 from {context.MaxRange4} to {value}");
        }
        else
        {
            context.MaxRange4 = value;
        }
        return true;
    }

    private static bool ParseVariable(ReadOnlySpan<byte> s, DatasetLoadContext context)
    {
        int index = s[0] == '=' ? -1 : s[0] - '0';
        ReadOnlySpan<byte> text = s[Syntax.SkipSpace(s, 2)..];
        bool defined = index < 0 ? context.BaseTemplate is not null : context.Variables[index] is not null;
        if (defined) return true; // the first definition wins
        if (text.IsEmpty) return false;
        if (index < 0) context.BaseTemplate = text.ToArray();
        else context.Variables[index] = text.ToArray();
        return true;
    }

    private static LoadDiagnostic? ParseTimestamp(ReadOnlySpan<byte> s, int pos, DatasetLoadContext context, out bool ok)
    {
        ok = false;
        if (!Numbers.TryParseTimestamp(s, ref pos, out long stamp)) return null;
        long expires;
        if (pos >= s.Length) expires = 0;
        else if (s[pos] == '+')
        {
            pos++;
            if (!Numbers.TryParseTime(s, ref pos, out uint relative) || pos < s.Length) return null;
            if (stamp == 0 || relative == 0) return null;
            expires = stamp + relative;
        }
        else if (!Numbers.TryParseTimestamp(s, ref pos, out expires) || pos < s.Length) return null;
        ok = true;
        long now = context.Options.Now().ToUnixTimeSeconds();
        if (stamp > now)
        {
            return new LoadDiagnostic(context.File, context.Line, $"data timestamp is {stamp - now} sec in the future, load aborted");
        }
        if (expires != 0 && (context.Expires == 0 || context.Expires > expires)) context.Expires = expires;
        return null;
    }

    // firstword_lc: the keyword, case-insensitive, followed by a blank; returns the position after the blanks.
    internal static int FirstWord(ReadOnlySpan<byte> s, ReadOnlySpan<byte> word)
    {
        if (s.Length <= word.Length || !Syntax.IsSpace(s[word.Length])) return -1;
        for (int i = 0; i < word.Length; i++)
        {
            if ((s[i] | 0x20) != word[i]) return -1;
        }
        return Syntax.SkipSpace(s, word.Length);
    }

    // parse_dn: a word up to the next blank, as a domain name.
    private static bool TryParseName(ReadOnlySpan<byte> s, ref int pos, out string name)
    {
        int start = pos;
        while (pos < s.Length && !Syntax.IsSpace(s[pos])) pos++;
        ReadOnlySpan<byte> word = s[start..pos];
        pos = Syntax.SkipSpace(s, pos);
        name = Encoding.Latin1.GetString(word);
        if (word.IsEmpty || !DomainNameText.IsValid(word)) return false;
        if (name.Length > 1 && name.EndsWith('.')) name = name[..^1];
        return true;
    }
}
