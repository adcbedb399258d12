namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// One exempt allow-list in configuration (<c>Dnsbl:Exempt</c>): addresses never answered as listed
/// in the zones it applies to, whatever the zone data says.
/// </summary>
public sealed class ExemptOptions
{
    /// <summary>A name for logs and status. Defaults to the first file's name.</summary>
    public string? Name { get; set; }

    /// <summary>Files of IPv4/IPv6 addresses, CIDRs and ranges, relative to the working directory.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>Zones the list applies to. Defaults to every zone (empty).</summary>
    public List<string> Zones { get; set; } = [];
}
