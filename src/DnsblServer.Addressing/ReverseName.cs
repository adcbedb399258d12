namespace DnsblServer.Addressing;

/// <summary>
/// Reads an address from the labels of a reversed query name (<c>4.3.2.1.zone</c> is 1.2.3.4),
/// exactly as rbldnsd's dntoip does: four labels of 1-3 decimal digits each at most 255 (leading
/// zeros accepted), or 32 single-hex-digit labels for IPv6. Works on the lowercased wire-format
/// name and the offsets of its labels; never allocates.
/// </summary>
public static class ReverseName
{
    /// <summary>The IPv4 address named by the first <paramref name="labels"/> labels, which must be exactly 4.</summary>
    public static bool TryParseIp4(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelStarts, int labels, out uint address)
    {
        address = 0;
        if (labels != 4) return false;
        for (int i = 0; i < 4; i++)
        {
            if (!TryOctet(name, labelStarts[i], out uint octet)) return false;
            address |= octet << (8 * i);
        }
        return true;
    }

    /// <summary>
    /// A partial reversed IPv4 name (1 to 3 octet labels, such as <c>0.0.127</c>): the first address
    /// it covers and the number of octets. Used for RFC 8020 empty non-terminals.
    /// </summary>
    public static bool TryParsePartialIp4(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelStarts, int labels, out uint first, out uint last)
    {
        first = last = 0;
        if (labels is < 1 or > 3) return false;
        for (int i = 0; i < labels; i++)
        {
            if (!TryOctet(name, labelStarts[i], out uint octet)) return false;
            first |= octet << (8 * (3 - (labels - 1 - i)));
        }
        last = first | (uint.MaxValue >> (8 * labels));
        return true;
    }

    /// <summary>The IPv6 address named by exactly 32 single-nibble labels (case-insensitive, least significant first).</summary>
    public static bool TryParseIp6(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labelStarts, int labels, out UInt128 address)
    {
        address = 0;
        if (labels != 32) return false;
        for (int i = 0; i < 32; i++)
        {
            int at = labelStarts[i];
            if (name[at] != 1) return false;
            int nibble = HexValue(name[at + 1]);
            if (nibble < 0) return false;
            address |= (UInt128)(uint)nibble << (4 * i);
        }
        return true;
    }

    /// <summary>
    /// The IPv4 address inside a 6to4 (<c>2002:V4ADDR::/16</c>) or v4-mapped (<c>::ffff:V4ADDR</c>)
    /// IPv6 address; rbldnsd answers such names from IPv4 datasets.
    /// </summary>
    public static bool TryGetEmbeddedIp4(UInt128 address, out uint ip4)
    {
        if ((ushort)(address >> 112) == 0x2002)
        {
            ip4 = (uint)(address >> 80);
            return true;
        }
        if (address >> 32 == 0xffff)
        {
            ip4 = (uint)address;
            return true;
        }
        ip4 = 0;
        return false;
    }

    private static bool TryOctet(ReadOnlySpan<byte> name, int at, out uint octet)
    {
        octet = 0;
        int length = name[at];
        if (length is < 1 or > 3) return false;
        for (int i = 1; i <= length; i++)
        {
            uint digit = (uint)(name[at + i] - '0');
            if (digit > 9) return false;
            octet = octet * 10 + digit;
        }
        return octet <= 255;
    }

    private static int HexValue(byte c)
    {
        if ((uint)(c - '0') <= 9) return c - '0';
        if ((uint)(c - 'a') <= 5) return c - 'a' + 10;
        return -1; // the name is lowercased before it gets here
    }
}
