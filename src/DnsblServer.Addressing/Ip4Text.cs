namespace DnsblServer.Addressing;

/// <summary>
/// IPv4 text forms as rbldnsd reads them (ip4parse.c): dotted prefixes of 1 to 4 octets,
/// CIDR, <c>a-b</c> ranges with rbldnsd's short right side, and inet_aton-style A values.
/// All methods work on ASCII bytes, never allocate, and stop at the first byte they do not
/// understand so the caller can decide whether the rest of the line is acceptable.
/// </summary>
public static class Ip4Text
{
    /// <summary>
    /// Parses 1 to 4 dotted decimal octets (leading zeros allowed, each at most 255).
    /// The address is left-aligned: <c>127.0</c> gives 127.0.0.0 with 16 bits.
    /// </summary>
    /// <returns>8, 16, 24 or 32 (the number of bits given), or -1 on error.</returns>
    public static int ParsePrefix(ReadOnlySpan<byte> s, ref int pos, out uint address)
    {
        address = 0;
        for (int shift = 24; ; shift -= 8)
        {
            if (pos >= s.Length || !IsDigit(s[pos])) return -1;
            uint octet = 0;
            while (pos < s.Length && IsDigit(s[pos]))
            {
                octet = octet * 10 + (uint)(s[pos++] - '0');
                if (octet > 255) return -1;
            }
            address |= octet << shift;
            if (shift == 0 || pos >= s.Length || s[pos] != '.') return 32 - shift;
            pos++;
        }
    }

    /// <summary>
    /// Parses an ip4set key: a prefix (<c>127.0.0</c>), a CIDR (<c>10.0.0.0/8</c>, <c>10/8</c>) or a
    /// range (<c>1.2.3.4-1.2.3.9</c>, <c>10.5.0.10-20</c>, <c>127.16-31</c>). A bare number is rejected.
    /// </summary>
    /// <param name="s">The text.</param>
    /// <param name="pos">Start position; on success, the first byte after the key.</param>
    /// <param name="first">First address (host bits of a CIDR are kept: check with <see cref="HasHostBits"/>).</param>
    /// <param name="last">Last address of the range.</param>
    /// <param name="bits">Prefix length of a CIDR or prefix form; 32 for a range.</param>
    /// <param name="isRange">True for the <c>a-b</c> form.</param>
    public static bool TryParseRange(ReadOnlySpan<byte> s, ref int pos, out uint first, out uint last, out int bits, out bool isRange)
    {
        last = 0;
        isRange = false;
        bits = ParsePrefix(s, ref pos, out first);
        if (bits < 0) return false;
        if (pos < s.Length && s[pos] == '-')
        {
            pos++;
            int endBits = ParsePrefix(s, ref pos, out uint end);
            if (endBits < 0) return false;
            if (endBits == 8)
            {
                // "10.5.0.10-20": a single number replaces the last octet given on the left.
                end = (end >> (bits - 8)) | (first & Mask(bits - 8));
                endBits = bits;
            }
            else if (endBits != bits)
            {
                return false; // "1.2-1.2.3.4" and the like
            }
            if (endBits != 32) end |= ~Mask(endBits);
            if (first > end) return false;
            last = end;
            bits = 32;
            isRange = true;
            return true;
        }
        if (pos < s.Length && s[pos] == '/')
        {
            pos++;
            bits = ParseMaskBits(s, ref pos);
            if (bits < 0) return false;
        }
        else if (bits == 8)
        {
            return false; // bare numbers are refused: write 10/8
        }
        last = first | ~Mask(bits);
        return true;
    }

    /// <summary>Parses a CIDR or prefix form (no ranges, no bare number), as ip4trie and acl accept.</summary>
    public static bool TryParseCidr(ReadOnlySpan<byte> s, ref int pos, out uint address, out int bits)
    {
        bits = ParsePrefix(s, ref pos, out address);
        if (bits < 0) return false;
        if (pos < s.Length && s[pos] == '/')
        {
            pos++;
            bits = ParseMaskBits(s, ref pos);
            return bits >= 0;
        }
        return bits != 8;
    }

    /// <summary>
    /// inet_aton-style address as rbldnsd reads A values: <c>127.0.0.2</c>, <c>127.2</c> (= 127.0.0.2),
    /// <c>127.1.2</c> (= 127.1.0.2), and a single number <c>2</c> (= 0.0.0.2; the caller adds 127.0.0.0).
    /// </summary>
    /// <returns>The number of bits given (8 for a single number), or -1 on error.</returns>
    public static int ParseInetAton(ReadOnlySpan<byte> s, ref int pos, out uint address)
    {
        int bits = ParsePrefix(s, ref pos, out address);
        switch (bits)
        {
            case 8: address >>= 24; break;
            case 16: address = (address & 0xff000000u) | ((address >> 16) & 255); break;
            case 24: address = (address & 0xffff0000u) | ((address >> 8) & 255); break;
        }
        return bits;
    }

    /// <summary>The network mask for a prefix length (0..32).</summary>
    public static uint Mask(int bits) => bits <= 0 ? 0u : bits >= 32 ? uint.MaxValue : uint.MaxValue << (32 - bits);

    /// <summary>True when <paramref name="address"/> has bits set below the prefix length.</summary>
    public static bool HasHostBits(uint address, int bits) => (address & ~Mask(bits)) != 0;

    /// <summary>Writes the dotted form of an address; returns the number of bytes written (at most 15).</summary>
    public static int Format(uint address, Span<byte> destination)
    {
        int n = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            uint octet = (address >> shift) & 255;
            if (octet >= 100) destination[n++] = (byte)('0' + octet / 100);
            if (octet >= 10) destination[n++] = (byte)('0' + octet / 10 % 10);
            destination[n++] = (byte)('0' + octet % 10);
            if (shift != 0) destination[n++] = (byte)'.';
        }
        return n;
    }

    /// <summary>The dotted form of an address (allocates; not for the query path).</summary>
    public static string ToText(uint address)
    {
        Span<byte> buffer = stackalloc byte[15];
        return System.Text.Encoding.ASCII.GetString(buffer[..Format(address, buffer)]);
    }

    private static int ParseMaskBits(ReadOnlySpan<byte> s, ref int pos)
    {
        if (pos >= s.Length || !IsDigit(s[pos])) return -1;
        int bits = 0;
        while (pos < s.Length && IsDigit(s[pos]))
        {
            bits = bits * 10 + (s[pos++] - '0');
            if (bits > 32) return -1;
        }
        return bits;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
