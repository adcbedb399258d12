namespace DnsblServer.Addressing;

/// <summary>
/// IPv6 text forms as rbldnsd reads and writes them for ip6trie, ip6tset and acl (ip6addr.c):
/// groups of hex digits separated by <c>:</c>, at most one <c>::</c>, and a group list that stops
/// early is a prefix (<c>2001:db8:c000</c> is 48 bits). Addresses are <see cref="UInt128"/> values
/// with the first group in the top bits. Nothing here allocates except <see cref="ToText"/>.
/// </summary>
/// <remarks>
/// rbldnsd's parser is looser than RFC 4291 in ways zone files rely on, and these are kept
/// (each was confirmed against rbldnsd 1.0pre 20210120):
/// <list type="bullet">
/// <item>a group may have any number of leading zeros (<c>00001</c>) as long as its value fits 16 bits;</item>
/// <item>hex digits in either case;</item>
/// <item>parsing stops after the eighth group or at the first character that cannot continue the
/// address, and the caller decides whether that character may end the key, so
/// <c>1:2:3:4:5:6:7:8:9</c> is the address <c>1:2:3:4:5:6:7:8</c> followed by <c>:9</c>, and
/// <c>1::2::3</c> is <c>1::2</c> followed by <c>:3</c>;</item>
/// <item>a trailing <c>:</c> after the last group is accepted when the address has a <c>::</c>
/// (<c>2001:db8::1:</c>), rejected otherwise;</item>
/// <item>no dotted IPv4 tail (<c>::ffff:1.2.3.4</c> stops at the dot).</item>
/// </list>
/// </remarks>
public static class Ip6Text
{
    /// <summary>The longest text <see cref="Format"/> writes: eight groups of four digits and seven colons.</summary>
    public const int MaxTextLength = 39;

    /// <summary>
    /// Parses a group list, with an optional <c>::</c>, as ip6prefix does. Without <c>::</c> the result
    /// is a prefix of 16 bits per group given, left-aligned (<c>2001:db8</c> is 2001:db8::/32); with
    /// <c>::</c> it is always a full address (128 bits).
    /// </summary>
    /// <param name="s">The text.</param>
    /// <param name="pos">Start position; on return, where parsing stopped (also on failure).</param>
    /// <param name="address">The address, zero-filled beyond the groups given.</param>
    /// <returns>16, 32, ..., 128, or -1 on error.</returns>
    public static int ParsePrefix(ReadOnlySpan<byte> s, ref int pos, out UInt128 address)
    {
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int gapAt = -1;   // number of groups before "::", -1 when there is none
        int bits = -1;
        if (pos + 1 < s.Length && s[pos] == ':' && s[pos + 1] == ':')
        {
            gapAt = 0;
            pos += 2;
        }
        while (true)
        {
            int start = pos;
            uint value = 0;
            while (pos < s.Length)
            {
                int nibble = HexValue(s[pos]);
                if (nibble < 0) break;
                value = (value << 4) | (uint)nibble;
                if (value > 0xffff) break; // leaves pos on the digit that overflowed
                pos++;
            }
            if (pos == start || value > 0xffff) break;
            groups[count++] = (ushort)value;
            if (pos >= s.Length || s[pos] != ':' || count == 8)
            {
                bits = count * 16;
                break;
            }
            pos++;
            if (gapAt < 0 && pos < s.Length && s[pos] == ':')
            {
                gapAt = count;
                pos++;
            }
        }
        if (gapAt >= 0)
        {
            // "::" stands for at least one zero group; whatever stopped the loop above, the groups
            // read so far are the address (so "2001:db8::1:" ends after the last colon).
            int zeros = 8 - count;
            if (zeros == 0)
            {
                bits = -1;
            }
            else
            {
                for (int i = count - 1; i >= gapAt; i--) groups[i + zeros] = groups[i];
                groups.Slice(gapAt, zeros).Clear();
                count = 8;
                bits = 128;
            }
        }
        address = Compose(groups[..count]);
        return bits;
    }

    /// <summary>
    /// Parses an ip6trie key: a group list or <c>::</c> address with an optional <c>/len</c> (0 to 128,
    /// leading zeros allowed), as ip6cidr does. A single group without <c>/len</c> (<c>2001</c>) is refused.
    /// </summary>
    /// <param name="s">The text.</param>
    /// <param name="pos">Start position; on success, the first byte after the key.</param>
    /// <param name="address">The address (host bits are kept: check with <see cref="HasHostBits"/>).</param>
    /// <param name="bits">The prefix length.</param>
    public static bool TryParseCidr(ReadOnlySpan<byte> s, ref int pos, out UInt128 address, out int bits)
    {
        bits = ParsePrefix(s, ref pos, out address);
        if (bits >= 0 && pos < s.Length && s[pos] == '/')
        {
            pos++;
            if (pos >= s.Length || !IsDigit(s[pos])) return false;
            bits = 0;
            while (pos < s.Length && IsDigit(s[pos]))
            {
                bits = bits * 10 + (s[pos++] - '0');
                if (bits > 128) return false;
            }
            return true;
        }
        return bits >= 0 && bits != 16; // a bare group is refused: write 2001/16
    }

    /// <summary>Longest text <see cref="FormatClient"/> writes ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255").</summary>
    public const int MaxClientTextLength = 45;

    /// <summary>
    /// Writes a client address the way glibc's inet_ntop does (what rbldnsd's getnameinfo gives for an
    /// ACL's <c>$</c>): as <see cref="Format"/>, except that <c>::ffff:a.b.c.d</c> and <c>::a.b.c.d</c>
    /// (six leading zero groups, the seventh not zero) end in a dotted quad.
    /// </summary>
    /// <returns>The number of bytes written (at most <see cref="MaxClientTextLength"/>).</returns>
    public static int FormatClient(UInt128 address, Span<byte> destination)
    {
        UInt128 high = address >> 32;
        if (high == 0xffff)
        {
            "::ffff:"u8.CopyTo(destination);
            return 7 + Ip4Text.Format((uint)address, destination[7..]);
        }
        if (high == 0 && (uint)address >> 16 != 0)
        {
            "::"u8.CopyTo(destination);
            return 2 + Ip4Text.Format((uint)address, destination[2..]);
        }
        return Format(address, destination);
    }

    /// <summary>The network mask for a prefix length (0..128).</summary>
    public static UInt128 Mask(int bits) =>
        bits <= 0 ? UInt128.Zero : bits >= 128 ? UInt128.MaxValue : UInt128.MaxValue << (128 - bits);

    /// <summary>True when <paramref name="address"/> has bits set below the prefix length.</summary>
    public static bool HasHostBits(UInt128 address, int bits) => (address & ~Mask(bits)) != UInt128.Zero;

    /// <summary>
    /// Writes the address as rbldnsd's ip6atos does (the text <c>$</c> becomes in a TXT record):
    /// lowercase hex without leading zeros, and the longest run of two or more zero groups
    /// (the first of equally long runs) written as <c>::</c>. A single zero group stays <c>0</c> and
    /// there is no dotted IPv4 tail (<c>::ffff:102:304</c>), the same as RFC 5952 otherwise.
    /// </summary>
    /// <returns>The number of bytes written (at most <see cref="MaxTextLength"/>).</returns>
    public static int Format(UInt128 address, Span<byte> destination)
    {
        int runStart = -1, runLength = 1; // only runs of 2+ groups are compressed
        for (int i = 0; i < 8;)
        {
            if (Group(address, i) != 0)
            {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && Group(address, j) == 0) j++;
            if (j - i > runLength)
            {
                runStart = i;
                runLength = j - i;
            }
            i = j;
        }
        int n = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i == runStart)
            {
                destination[n++] = (byte)':';
                if (i == 0) destination[n++] = (byte)':';
                i += runLength - 1;
                continue;
            }
            n += WriteGroup(Group(address, i), destination[n..]);
            if (i < 7) destination[n++] = (byte)':';
        }
        return n;
    }

    /// <summary>The text form of an address (allocates; not for the query path).</summary>
    public static string ToText(UInt128 address)
    {
        Span<byte> buffer = stackalloc byte[MaxTextLength];
        return System.Text.Encoding.ASCII.GetString(buffer[..Format(address, buffer)]);
    }

    /// <summary>Group <paramref name="index"/> (0 = the first, most significant) of an address.</summary>
    public static ushort Group(UInt128 address, int index) => (ushort)(address >> (112 - 16 * index));

    private static UInt128 Compose(ReadOnlySpan<ushort> groups)
    {
        UInt128 address = UInt128.Zero;
        for (int i = 0; i < groups.Length; i++) address |= (UInt128)groups[i] << (112 - 16 * i);
        return address;
    }

    private static int WriteGroup(ushort value, Span<byte> destination)
    {
        int n = 0;
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            int nibble = (value >> shift) & 15;
            if (n == 0 && nibble == 0 && shift != 0) continue;
            destination[n++] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }
        return n;
    }

    private static int HexValue(byte c)
    {
        if ((uint)(c - '0') <= 9) return c - '0';
        int lower = c | 0x20;
        if ((uint)(lower - 'a') <= 5) return lower - 'a' + 10;
        return -1;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
