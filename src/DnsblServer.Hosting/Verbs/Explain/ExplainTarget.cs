using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Hosting.Verbs.Explain;

/// <summary>
/// What <c>explain</c> was asked about: an IPv4 address, an IPv6 address or a domain name, and the
/// name a mail server would query for it under the zone (reversed octets, reversed nibbles, the name as is).
/// </summary>
internal sealed record ExplainTarget(string Text, AddressFamily Family, IPAddress? Address)
{
    /// <summary>True for an IPv4 address: its dataset entries can be traced to file lines.</summary>
    public bool IsIp4 => Family == AddressFamily.InterNetwork;

    /// <summary>The IPv4 address as a number; only when <see cref="IsIp4"/>.</summary>
    public uint Ip4 => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Address!.GetAddressBytes());

    /// <summary>Reads the argument strictly; on failure <paramref name="problem"/> is the one line to print.</summary>
    public static ExplainTarget? Parse(string text, out string? problem)
    {
        problem = null;
        if (text.Contains(':'))
        {
            // IPAddress also takes a scope id or brackets; a query name has neither
            if (!text.Contains('%') && !text.Contains('[') && IPAddress.TryParse(text, out var ip6) && ip6.AddressFamily == AddressFamily.InterNetworkV6)
                return new ExplainTarget(ip6.ToString(), AddressFamily.InterNetworkV6, ip6);
            problem = $"'{text}' is not a valid IPv6 address";
            return null;
        }
        string name = text.TrimEnd('.');
        if (name.Length > 0 && name.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            // IPAddress.TryParse reads "1.2.3" as 1.2.0.3; a DNSBL query always has four octets
            string[] octets = name.Split('.');
            if (octets.Length == 4 && octets.All(o => o.Length is > 0 and <= 3 && int.Parse(o, System.Globalization.CultureInfo.InvariantCulture) <= 255))
            {
                var ip4 = IPAddress.Parse(name);
                return new ExplainTarget(ip4.ToString(), AddressFamily.InterNetwork, ip4);
            }
            problem = $"'{text}' is not a full IPv4 address (4 octets of 0-255), an IPv6 address or a domain name";
            return null;
        }
        string[] labels = name.Split('.');
        if (name.Length is > 0 and <= 253 && labels.All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '*')))
            return new ExplainTarget(name.ToLowerInvariant(), AddressFamily.Unspecified, null);
        problem = $"'{text}' is not an IPv4 address, an IPv6 address or a domain name";
        return null;
    }

    /// <summary>The name queried under <paramref name="zone"/> (empty zone: the target alone).</summary>
    public string QueryName(string zone)
    {
        string prefix;
        if (Family == AddressFamily.InterNetwork)
        {
            byte[] b = Address!.GetAddressBytes();
            prefix = $"{b[3]}.{b[2]}.{b[1]}.{b[0]}";
        }
        else if (Family == AddressFamily.InterNetworkV6)
        {
            byte[] b = Address!.GetAddressBytes();
            var nibbles = new List<string>(32);
            for (int i = 15; i >= 0; i--)
            {
                nibbles.Add((b[i] & 15).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
                nibbles.Add((b[i] >> 4).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            }
            prefix = string.Join('.', nibbles);
        }
        else prefix = Text;
        return zone.Length == 0 ? prefix : prefix + "." + zone;
    }
}
