namespace DnsblServer.Zones.Files;

/// <summary>Checks a domain name in text form the way dns_ptodn accepts it: labels of 1-63 bytes, 255 bytes in wire form.</summary>
public static class DomainNameText
{
    /// <summary>True for a usable name (a single trailing dot is allowed; "." is the root).</summary>
    public static bool IsValid(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1 && name[0] == '.') return true;
        if (name.Length > 0 && name[^1] == '.') name = name[..^1];
        if (name.IsEmpty || name.Length > 253) return false;
        int label = 0;
        foreach (byte c in name)
        {
            if (c == '.')
            {
                if (label == 0) return false;
                label = 0;
            }
            else if (++label > 63) return false;
        }
        return label > 0;
    }
}
