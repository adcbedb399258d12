using DnsblServer.Addressing;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Values;

/// <summary>
/// The value part of an entry (parse_a_txt in rbldnsd_util.c): <c>:A:TXT</c>, <c>:A:</c> (no TXT),
/// <c>:A</c> (default TXT), or a bare TXT with the default A. A single number is the last octet of
/// 127.0.0.x (<c>:2:</c> = 127.0.0.2). TXT longer than 255 bytes is truncated with a warning.
/// </summary>
public static class ValueParser
{
    /// <summary>rbldnsd stores at most 255 bytes of TXT.</summary>
    public const int MaxStoredTxt = 255;

    /// <summary>
    /// Parses the value after an entry's key; <paramref name="s"/> starts at the first non-blank.
    /// An empty tail or a comment means the default value.
    /// </summary>
    /// <returns>The value id, or -1 after a warning when the value is invalid (the entry is skipped).</returns>
    public static int Parse(ReadOnlySpan<byte> s, int defaultId, ValueTable values, DatasetLoadContext context)
    {
        if (s.IsEmpty || Syntax.IsComment(s[0])) return defaultId;
        return ParseExplicit(s, values[defaultId], values, context);
    }

    /// <summary>Parses a value that is really there (a default-value line, or an entry tail).</summary>
    /// <returns>The value id, or -1 after a warning.</returns>
    public static int ParseExplicit(ReadOnlySpan<byte> s, RawValue fallback, ValueTable values, DatasetLoadContext context)
    {
        uint a = fallback.A;
        ReadOnlySpan<byte> text;
        if (s[0] == ':')
        {
            int pos = 1;
            int bits = Ip4Text.ParseInetAton(s, ref pos, out a);
            if (bits <= 0 || a == 0)
            {
                context.Warn("invalid A RR");
                return -1;
            }
            if (bits == 8) a |= 0x7f000000; // ":2" is 127.0.0.2
            pos = Syntax.SkipSpace(s, pos);
            if (pos >= s.Length)
            {
                return values.Intern(new RawValue(a, fallback.Text)); // ":A" keeps the default TXT
            }
            if (s[pos] != ':')
            {
                context.Warn("unrecognized value for an entry");
                return -1;
            }
            text = s[Syntax.SkipSpace(s, pos + 1)..];
        }
        else
        {
            text = s;
        }
        if (text.Length > MaxStoredTxt)
        {
            context.Warn("TXT RR truncated to 255 bytes");
            text = text[..MaxStoredTxt];
        }
        return values.Intern(a, text);
    }
}
