using System.Text;

namespace DnsblServer.Serving.QueryLog;

/// <summary>DNS names, types, classes and rcodes as rbldnsd prints them in its query log.</summary>
internal static class DnsText
{
    /// <summary>Appends a wire-format name as text (<c>\.</c> and <c>\DDD</c> escapes, no trailing dot); returns its wire length.</summary>
    public static int AppendName(StringBuilder line, ReadOnlySpan<byte> wire)
    {
        int at = 0;
        if (wire[0] == 0) line.Append('.');
        while (wire[at] != 0)
        {
            if (at > 0) line.Append('.');
            int length = wire[at];
            foreach (byte c in wire.Slice(at + 1, length))
            {
                if (c == '.' || c == '\\') line.Append('\\').Append((char)c);
                else if (c <= ' ' || c >= 0x7f) line.Append('\\').Append(((int)c).ToString("D3"));
                else line.Append((char)c);
            }
            at += length + 1;
        }
        return at + 1;
    }

    public static string TypeName(ushort type) => type switch
    {
        1 => "A", 2 => "NS", 5 => "CNAME", 6 => "SOA", 12 => "PTR", 13 => "HINFO", 15 => "MX", 16 => "TXT",
        28 => "AAAA", 33 => "SRV", 35 => "NAPTR", 41 => "OPT", 251 => "IXFR", 252 => "AXFR", 255 => "ANY",
        _ => "type" + type,
    };

    public static string ClassName(ushort @class) => @class switch
    {
        1 => "IN", 3 => "CH", 4 => "HS", 254 => "NONE", 255 => "ANY",
        _ => "class" + @class,
    };

    public static string RcodeName(int rcode) => rcode switch
    {
        0 => "NOERROR", 1 => "FORMERR", 2 => "SERVFAIL", 3 => "NXDOMAIN", 4 => "NOTIMPL", 5 => "REFUSED",
        _ => "rcode" + rcode,
    };
}
