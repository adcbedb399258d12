namespace DnsblServer.Hosting.Configuration.Internal;

/// <summary>
/// rbldnsd's time syntax, ported from <c>parse_time()</c> (rbldnsd_util.c) and the <c>-t</c> case of <c>init()</c>
/// (rbldnsd.c): an unsigned decimal number, then at most one unit letter (s, m, h, d, w, either case), then either
/// the end, a <c>:</c>, or blanks. <c>1h30m</c> is therefore invalid, as in rbldnsd.
/// </summary>
internal static class RbldnsdTime
{
    /// <summary>Human hint used in error messages.</summary>
    public const string Syntax = "a number with an optional unit s, m, h, d or w, e.g. 35m";

    /// <summary>Parses a time at <paramref name="pos"/>; on success <paramref name="pos"/> is past it and any trailing blanks, and stops at a ':'.</summary>
    public static bool TryParseTime(string s, ref int pos, out uint seconds)
    {
        // the zone files' reader already parses rbldnsd times (on bytes); command-line values are ASCII
        byte[] bytes = System.Text.Encoding.Latin1.GetBytes(s);
        int p = pos;
        if (!DnsblServer.Zones.Files.Numbers.TryParseTime(bytes, ref p, out seconds)) return false;
        pos = p;
        return true;
    }

    /// <summary>A single time making up the whole value (rbldnsd <c>-c</c>: <c>parse_time(..) &amp;&amp; !*p</c>).</summary>
    public static bool TryParseInterval(string s, out uint seconds)
    {
        int pos = 0;
        return TryParseTime(s, ref pos, out seconds) && pos == s.Length;
    }

    /// <summary>
    /// Applies a <c>def[:min[:max]]</c> value on top of the current values, exactly as rbldnsd's <c>-t</c>:
    /// omitted fields keep their current value, the default may not be 0, and the result must satisfy
    /// min ≤ def ≤ max and min ≤ max (0 = no limit).
    /// </summary>
    /// <returns>Null on success, else the reason (without the option name).</returns>
    public static string? ApplyTtl(string value, ref uint defTtl, ref uint minTtl, ref uint maxTtl)
    {
        uint def = defTtl, min = minTtl, max = maxTtl;
        int p = 0;
        if (At(value, p) == ':')
        {
            p++;
        }
        else if (!TryParseTime(value, ref p, out def) || def == 0 || !TryColon(value, ref p))
        {
            return $"invalid default TTL (expected {Syntax}; it cannot be 0)";
        }

        if (At(value, p) == ':')
        {
            p++;
        }
        else if (p < value.Length && (!TryParseTime(value, ref p, out min) || !TryColon(value, ref p)))
        {
            return $"invalid minimum TTL (expected {Syntax}; 0 = no minimum)";
        }

        if (At(value, p) == ':')
        {
            p++;
        }
        else if (p < value.Length && (!TryParseTime(value, ref p, out max) || !TryColon(value, ref p)))
        {
            return $"invalid maximum TTL (expected {Syntax}; 0 = no maximum)";
        }

        if (p < value.Length)
        {
            return "too many fields (expected def[:min[:max]])";
        }

        if ((min != 0 && max != 0 && min > max) || (min != 0 && def < min) || (max != 0 && def > max))
        {
            return $"inconsistent def:min:max TTL {def}:{min}:{max} (need min <= def <= max, 0 = no limit)";
        }

        (defTtl, minTtl, maxTtl) = (def, min, max);
        return null;
    }

    // C: `(*p && *p++ != ':')` fails; i.e. after a field comes the end or one ':' which is consumed.
    private static bool TryColon(string s, ref int p)
    {
        if (p >= s.Length)
        {
            return true;
        }

        return s[p++] == ':';
    }

    private static char At(string s, int p) => p < s.Length ? s[p] : '\0';

}
