using System.Net;
using DnsblServer.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Tests;

public class ServerSettingsLoaderTests
{
    /// <summary>Builds configuration the way Program does: in-memory "appsettings", then the command line.</summary>
    private static SettingsResult Load(string[] args, params (string Key, string? Value)[] appsettings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(appsettings.Select(p => KeyValuePair.Create(p.Key, p.Value)))
            .AddCommandLine(args)
            .Build();
        return ServerSettingsLoader.Load(args, configuration);
    }

    [Fact]
    public void Nothing_configured_serves_the_built_in_sample()
    {
        SettingsResult result = Load([]);
        Assert.True(result.IsSuccess, string.Join(" | ", result.Errors));
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5300)], result.Settings.Listen.ToArray());
        Assert.Equal(["dnsbl-1.uceprotect.example", "dnsbl-2.uceprotect.example", "dnsbl-6.uceprotect.example", "dbl.uceprotect.example"], result.Settings.Zones.Select(z => z.Name));
        Assert.Equal("microsoft-eop", Assert.Single(result.Settings.Exempt).Name);
    }

    [Fact]
    public void Configuration_overrides_on_the_command_line_still_get_the_sample()
    {
        SettingsResult result = Load(["--Dnsbl:Ttl=1h"]);
        Assert.True(result.IsSuccess, string.Join(" | ", result.Errors));
        Assert.Equal(3600u, result.Settings.DefaultTtl);
        Assert.Equal(4, result.Settings.Zones.Length);
    }

    [Fact]
    public void Rbldnsd_arguments_disable_the_sample_and_need_b_like_rbldnsd()
    {
        SettingsResult result = Load(["-n", "bl.example:ip4set:bl.txt"]);
        Assert.Equal(["no address to listen on specified: give -b addr[/port] or Dnsbl:Listen"], result.Errors);
    }

    [Fact]
    public void Configured_listen_satisfies_b()
    {
        SettingsResult result = Load(["-n", "bl.example:ip4set:bl.txt"], ("Dnsbl:Listen:0", "[::1]:5300"));
        Assert.True(result.IsSuccess, string.Join(" | ", result.Errors));
        Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 5300)], result.Settings.Listen.ToArray());
        Assert.True(result.Settings.Foreground);
    }

    [Fact]
    public void Command_line_replaces_configured_zones_and_listen_and_overrides_scalars()
    {
        SettingsResult result = Load(
            ["-b", "127.0.0.2/5300", "-t", "5m", "--Dnsbl:Lazy=true", "cli.example:dnset:c"],
            ("Dnsbl:Listen:0", "::1"),
            ("Dnsbl:Zones:0", "json.example:ip4set:j"),
            ("Dnsbl:Ttl", "1m:30:1h"),
            ("Dnsbl:EdnsPayloadSize", "1400"));
        Assert.True(result.IsSuccess, string.Join(" | ", result.Errors));
        ServerSettings s = result.Settings;
        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5300)], s.Listen.ToArray());
        Assert.Equal("cli.example", Assert.Single(s.Zones).Name);
        Assert.Equal((300u, 30u, 3600u), (s.DefaultTtl, s.MinTtl, s.MaxTtl));
        Assert.True(s.LazyNs);                    // from --Dnsbl:Lazy=true via the configuration
        Assert.Equal(1400, s.EdnsPayloadSize);
    }

    [Fact]
    public void Configuration_and_command_line_errors_are_reported_together()
    {
        SettingsResult result = Load(["-t", "x", "-b", "::1", "bl.example:ip4set:f"], ("Dnsbl:Ttl", "0"), ("Dnsbl:UdpLoops", "0"));
        Assert.Equal(3, result.Errors.Count);
        Assert.StartsWith("Dnsbl:Ttl '0'", result.Errors[0]);
        Assert.StartsWith("Dnsbl:UdpLoops 0", result.Errors[1]);
        Assert.StartsWith("-t 'x'", result.Errors[2]);
    }

    [Fact]
    public void Bad_configuration_zone_is_not_also_reported_as_missing()
    {
        SettingsResult result = Load([], ("Dnsbl:Listen:0", "::1"), ("Dnsbl:Zones:0", "broken"));
        Assert.Equal(["Dnsbl:Zones:0: invalid zone spec 'broken': expected zone:type:file[,file...]"], result.Errors);
    }

    [Fact]
    public void Binding_failure_is_an_error_not_an_exception()
    {
        SettingsResult result = Load([], ("Dnsbl:UdpLoops", "many"));
        Assert.Contains("Dnsbl:UdpLoops", Assert.Single(result.Errors));
    }

    [Fact]
    public void Help_wins()
    {
        SettingsResult result = Load(["--help"], ("Dnsbl:Ttl", "0"));
        Assert.True(result.ShowHelp);
        Assert.Contains("-b address[/port]", RbldnsdCommandLine.Usage);
    }
}
