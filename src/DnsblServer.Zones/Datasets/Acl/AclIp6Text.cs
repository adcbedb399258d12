using DnsblServer.Addressing;

namespace DnsblServer.Zones.Datasets.Acl;

/// <summary>
/// IPv6 text for ACL lines and answers, kept to what the acl dataset needs (a shared IPv6 parser is
/// being built separately; this one can fold into it later).
/// <para>
/// Parsing follows rbldnsd's ip6cidr (ip6addr.c), checked against the Debian binary: 1 to 8 groups
/// of hex digits (any number of leading zeros while the value fits 16 bits), one <c>::</c> anywhere;
/// without <c>::</c>, fewer than 8 groups make a prefix of 16 bits per group (<c>2001:db8</c> = /32),
/// but a single group alone is refused; <c>/len</c> (0..128) replaces that length. No embedded dotted
/// quad (<c>::ffff:1.2.3.4</c> is refused). Parsing stops after the 8th group, so <c>a:b:c:d:e:f:0:1:2</c>
/// is an address followed by the value <c>:2</c>, as in rbldnsd.
/// </para>
/// </summary>
internal static class AclIp6Text
{
    /// <summary>Longest text <see cref="Format"/> writes ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is 45).</summary>
    public const int MaxTextLength = 46;

    /// <summary>Parses an IPv6 CIDR or prefix at <paramref name="pos"/>; on success <paramref name="pos"/> is after it.</summary>
    /// <returns>The prefix length (0..128), or -1 when the text is not one.</returns>
    public static int ParseCidr(ReadOnlySpan<byte> s, ref int pos, out UInt128 address)
    {
        int bits = ParsePrefix(s, ref pos, out address);
        if (bits >= 0 && pos < s.Length && s[pos] == '/')
        {
            pos++;
            if (pos >= s.Length || !IsDigit(s[pos])) return -1;
            bits = 0;
            while (pos < s.Length && IsDigit(s[pos]))
            {
                bits = bits * 10 + (s[pos++] - '0');
                if (bits > 128) return -1;
            }
            return bits;
        }
        return bits == 16 ? -1 : bits; // a bare group would be a number, not an address
    }

    private static int ParsePrefix(ReadOnlySpan<byte> s, ref int pos, out UInt128 address)
    {
        address = 0;
        Span<ushort> words = stackalloc ushort[8];
        int count = 0;
        int zerosAt = -1;   // where "::" stands, in groups
        int bits = -1;
        if (pos + 1 < s.Length && s[pos] == ':' && s[pos + 1] == ':')
        {
            zerosAt = 0;
            pos += 2;
        }
        while (true)
        {
            int start = pos;
            uint value = 0;
            bool overflow = false;
            while (pos < s.Length && HexValue(s[pos]) is int nibble and >= 0)
            {
                value = (value << 4) | (uint)nibble;
                if (value > 0xffff) { overflow = true; break; }
                pos++;
            }
            if (pos == start || overflow) break;
            words[count++] = (ushort)value;
            if (pos >= s.Length || s[pos] != ':' || count == 8)
            {
                bits = count * 16;
                break;
            }
            pos++;
            if (zerosAt < 0 && pos < s.Length && s[pos] == ':')
            {
                zerosAt = count;
                pos++;
            }
        }
        if (zerosAt >= 0)
        {
            if (count == 8) return -1; // no room left for the zeros
            int tail = count - zerosAt;
            for (int i = 0; i < tail; i++) words[7 - i] = words[count - 1 - i];
            for (int i = zerosAt; i < 8 - tail; i++) words[i] = 0;
            bits = 128;
        }
        else
        {
            for (int i = count; i < 8; i++) words[i] = 0;
        }
        for (int i = 0; i < 8; i++) address = (address << 16) | words[i];
        return bits;
    }

    /// <summary>The network mask for a prefix length (0..128).</summary>
    public static UInt128 Mask(int bits) => bits <= 0 ? UInt128.Zero : bits >= 128 ? UInt128.MaxValue : UInt128.MaxValue << (128 - bits);

    /// <summary>
    /// Writes an address the way glibc's inet_ntop does (what rbldnsd's getnameinfo gives for a client):
    /// lower-case hex without leading zeros, the first longest run of two or more zero groups as
    /// <c>::</c>, and with <paramref name="embedIpv4"/> the last 32 bits dotted for <c>::ffff:0:0/96</c>
    /// and for <c>::a.b.c.d</c> (a run of exactly six leading zero groups). rbldnsd's own ip6atos, used
    /// in its warnings, is the same without the dotted form.
    /// </summary>
    /// <returns>The number of bytes written (at most <see cref="MaxTextLength"/>).</returns>
    public static int Format(UInt128 address, Span<byte> destination, bool embedIpv4)
    {
        Span<ushort> words = stackalloc ushort[8];
        for (int i = 0; i < 8; i++) words[i] = (ushort)(address >> (112 - 16 * i));
        int bestStart = -1, bestLength = 0;
        for (int i = 0; i < 8;)
        {
            if (words[i] != 0) { i++; continue; }
            int run = i;
            while (run < 8 && words[run] == 0) run++;
            if (run - i > bestLength) { bestStart = i; bestLength = run - i; }
            i = run;
        }
        if (bestLength < 2) bestStart = -1;

        int n = 0;
        for (int i = 0; i < 8; i++)
        {
            if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength)
            {
                if (i == bestStart) destination[n++] = (byte)':';
                continue;
            }
            if (i != 0) destination[n++] = (byte)':';
            if (embedIpv4 && i == 6 && bestStart == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff)))
            {
                return n + Ip4Text.Format((uint)address, destination[n..]);
            }
            n += FormatHex(words[i], destination[n..]);
        }
        if (bestStart >= 0 && bestStart + bestLength == 8) destination[n++] = (byte)':';
        return n;
    }

    /// <summary>The rbldnsd-style text of an address (for warnings; allocates).</summary>
    public static string ToText(UInt128 address)
    {
        Span<byte> buffer = stackalloc byte[MaxTextLength];
        return System.Text.Encoding.ASCII.GetString(buffer[..Format(address, buffer, embedIpv4: false)]);
    }

    private static int FormatHex(ushort value, Span<byte> destination)
    {
        int n = 0;
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            int nibble = (value >> shift) & 15;
            if (nibble == 0 && !started && shift != 0) continue;
            started = true;
            destination[n++] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }
        return n;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
