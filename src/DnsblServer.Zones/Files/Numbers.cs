namespace DnsblServer.Zones.Files;

/// <summary>
/// Number, duration and timestamp fields of specials, read the way rbldnsd_util.c reads them
/// (parse_uint32, parse_time, parse_timestamp). Each consumes the field and the blanks after it.
/// </summary>
public static class Numbers
{
    /// <summary>Decimal unsigned 32-bit number followed by a blank or the end.</summary>
    public static bool TryParseUInt32(ReadOnlySpan<byte> s, ref int pos, out uint value)
    {
        if (!TryParseDigits(s, ref pos, out value)) return false;
        if (pos < s.Length)
        {
            if (!Syntax.IsSpace(s[pos])) return false;
            pos = Syntax.SkipSpace(s, pos);
        }
        return true;
    }

    /// <summary>A duration: a number with an optional unit s, m, h, d or w (any case); may be followed by <c>:</c>.</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> s, ref int pos, out uint seconds)
    {
        if (!TryParseDigits(s, ref pos, out seconds)) return false;
        if (pos < s.Length)
        {
            uint multiplier = (s[pos] | 0x20) switch
            {
                'w' => 7 * 24 * 3600,
                'd' => 24 * 3600,
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => 0,
            };
            if (multiplier != 0)
            {
                if (seconds > uint.MaxValue / multiplier) return false;
                seconds *= multiplier;
                pos++;
            }
        }
        if (pos < s.Length && s[pos] != ':')
        {
            if (!Syntax.IsSpace(s[pos])) return false;
            pos = Syntax.SkipSpace(s, pos);
        }
        return true;
    }

    /// <summary>
    /// A <c>$TIMESTAMP</c> value: <c>yyyy:mm:dd[:hh[:mi[:ss]]]</c> (separators <c>:</c> or <c>-</c>, optional),
    /// or <c>0</c>/<c>-</c>/<c>:</c> alone for "none" (0). Years 1970-2038, UTC.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, ref int pos, out long unixTime)
    {
        unixTime = 0;
        if (pos < s.Length && (s[pos] == '0' || s[pos] == '-' || s[pos] == ':') && (pos + 1 >= s.Length || Syntax.IsSpace(s[pos + 1])))
        {
            pos = Syntax.SkipSpace(s, pos + 1);
            return true;
        }
        if (!TryField(s, ref pos, 1970, 2038, 4, out uint year)) return false;
        if (!TryField(s, ref pos, 1, 12, 2, out uint month)) return false;
        int daysInMonth = DateTime.DaysInMonth((int)year, (int)month);
        if (!TryField(s, ref pos, 1, (uint)daysInMonth, 2, out uint day)) return false;
        uint hour = 0, minute = 0, second = 0;
        if (pos < s.Length && !Syntax.IsSpace(s[pos]) && !TryField(s, ref pos, 0, 23, 2, out hour)) return false;
        if (pos < s.Length && !Syntax.IsSpace(s[pos]) && !TryField(s, ref pos, 0, 59, 2, out minute)) return false;
        if (pos < s.Length && !Syntax.IsSpace(s[pos]) && !TryField(s, ref pos, 0, 59, 2, out second)) return false;
        if (pos < s.Length)
        {
            if (!Syntax.IsSpace(s[pos])) return false;
            pos = Syntax.SkipSpace(s, pos);
        }
        unixTime = new DateTimeOffset((int)year, (int)month, (int)day, (int)hour, (int)minute, (int)second, TimeSpan.Zero).ToUnixTimeSeconds();
        return true;
    }

    // parse_tsp: up to `width` digits within [min, max], then an optional ':' or '-'.
    private static bool TryField(ReadOnlySpan<byte> s, ref int pos, uint min, uint max, int width, out uint value)
    {
        value = 0;
        if (pos >= s.Length || (uint)(s[pos] - '0') > 9) return false;
        do value = value * 10 + (uint)(s[pos++] - '0');
        while (pos < s.Length && (uint)(s[pos] - '0') <= 9 && --width > 0);
        if (value < min || value > max) return false;
        if (pos < s.Length && (s[pos] == ':' || s[pos] == '-')) pos++;
        return true;
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> s, ref int pos, out uint value)
    {
        value = 0;
        if (pos >= s.Length || (uint)(s[pos] - '0') > 9) return false;
        ulong n = 0;
        while (pos < s.Length && (uint)(s[pos] - '0') <= 9)
        {
            n = n * 10 + (uint)(s[pos++] - '0');
            if (n > uint.MaxValue) return false;
        }
        value = (uint)n;
        return true;
    }
}
