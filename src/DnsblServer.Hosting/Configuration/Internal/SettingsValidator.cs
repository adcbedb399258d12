using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Hosting.Configuration.Internal;

/// <summary>Checks that need the complete settings (command line and configuration merged).</summary>
internal static class SettingsValidator
{
    /// <summary>syslog facility names the Debian rbldnsd build accepts for <c>-F</c> (case-sensitive).</summary>
    public static readonly string[] SyslogFacilities =
    [
        "auth", "authpriv", "cron", "daemon", "kern", "local0", "local1", "local2", "local3",
        "local4", "local5", "local6", "local7", "mail", "news", "syslog", "user", "uucp",
    ];

    /// <summary>Required values and cross-checks; run once on the final merged settings.</summary>
    /// <param name="settings">The merged settings.</param>
    /// <param name="errors">Where problems go.</param>
    /// <param name="listenRequired">False for verbs that bind nothing (check, explain, dump): a missing listen address is fine there.</param>
    public static void ValidateComplete(ServerSettings settings, List<string> errors, bool listenRequired = true)
    {
        if (settings.Zones.All(z => z.IsGlobalAcl))
        {
            errors.Add("no zone(s) to service specified: give zone:type:file[,file...] arguments or Dnsbl:Zones");
        }

        if (settings.Listen.IsEmpty && !settings.Dump && listenRequired)
        {
            errors.Add("no address to listen on specified: give -b addr[/port] or Dnsbl:Listen");
        }

        foreach (IPEndPoint endpoint in settings.Listen)
        {
            if (settings.IPv4Only && endpoint.AddressFamily != AddressFamily.InterNetwork)
            {
                errors.Add($"listen address {Format(endpoint)} is IPv6, but -4 allows IPv4 only");
            }
            else if (settings.IPv6Only && endpoint.AddressFamily != AddressFamily.InterNetworkV6)
            {
                errors.Add($"listen address {Format(endpoint)} is IPv4, but -6 allows IPv6 only");
            }
        }

        if (settings.Zones.Count(z => z.IsGlobalAcl) > 1)
        {
            errors.Add("global acl specified more than once");
        }

        foreach (var group in settings.Zones.Where(z => !z.IsGlobalAcl && z.Type == "acl").GroupBy(z => z.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"repeated ACL definition for zone '{group.Key}'");
        }

        foreach (var group in settings.Zones.Where(z => !z.IsGlobalAcl).GroupBy(z => z.Name).Where(g => g.All(z => z.Type == "acl")))
        {
            errors.Add($"missing data for zone '{group.Key}': an acl needs a dataset of the zone to guard");
        }
    }

    /// <summary>Limits on values only the configuration file sets; checked once, in <see cref="DnsblOptions"/>.</summary>
    public static void ValidateLimits(ServerSettings settings, List<string> errors)
    {
        if (settings.EdnsPayloadSize is < 512 or > 65535)
        {
            errors.Add($"Dnsbl:EdnsPayloadSize {settings.EdnsPayloadSize}: must be 512-65535");
        }

        if (settings.UdpLoopsPerEndpoint is < 1 or > 1024)
        {
            errors.Add($"Dnsbl:UdpLoops {settings.UdpLoopsPerEndpoint}: must be 1-1024");
        }

        if (settings.UdpBatchWaitMicroseconds is < 0 or > 10_000)
        {
            errors.Add($"Dnsbl:UdpBatchWait {settings.UdpBatchWaitMicroseconds}: must be 0-10000 (microseconds)");
        }

        if (settings.Tcp.MaxConnections < 1)
        {
            errors.Add($"Dnsbl:Tcp:MaxConnections {settings.Tcp.MaxConnections}: must be at least 1");
        }

        if (settings.Tcp.IdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Dnsbl:Tcp:IdleTimeout {settings.Tcp.IdleTimeout}: must be greater than 0");
        }

        if (settings.Tcp.QueryTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Dnsbl:Tcp:QueryTimeout {settings.Tcp.QueryTimeout}: must be greater than 0");
        }

        if (settings.MaxFileBytes < 0)
        {
            errors.Add($"Dnsbl:MaxFileBytes {settings.MaxFileBytes}: must be 0 (no limit) or more");
        }

        if (settings.MaxFileLines < 0)
        {
            errors.Add($"Dnsbl:MaxFileLines {settings.MaxFileLines}: must be 0 (no limit) or more");
        }

        if (settings.MaxShrinkPercent is < 0 or > 100)
        {
            errors.Add($"Dnsbl:MaxShrinkPercent {settings.MaxShrinkPercent}: must be 0 (off) to 100");
        }

        if (settings.LoadTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Dnsbl:LoadTimeout {settings.LoadTimeout}: must be greater than 0");
        }
    }

    /// <summary>rbldnsd's <c>addr/port</c> notation.</summary>
    public static string Format(IPEndPoint endpoint) => $"{endpoint.Address}/{endpoint.Port}";
}
