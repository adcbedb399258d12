using System.Net;
using System.Text;
using DnsblServer.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Tests;

public class DnsblOptionsTests
{
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static IConfiguration Memory(params (string Key, string? Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))).Build();

    private static ServerSettings Valid(IConfiguration configuration)
    {
        ServerSettings? settings = DnsblOptions.Bind(configuration).ToSettings(out IReadOnlyList<string> errors);
        Assert.True(settings is not null, string.Join(" | ", errors));
        Assert.Empty(errors);
        return settings;
    }

    private static string Invalid(IConfiguration configuration)
    {
        ServerSettings? settings = DnsblOptions.Bind(configuration).ToSettings(out IReadOnlyList<string> errors);
        Assert.Null(settings);
        Assert.NotEmpty(errors);
        return string.Join("\n", errors);
    }

    [Fact]
    public void Defaults()
    {
        var options = new DnsblOptions();
        Assert.Empty(options.Listen);
        Assert.Empty(options.Zones);
        Assert.Null(options.WorkingDirectory);
        Assert.Equal("35m", options.Ttl);
        Assert.Equal("1m", options.CheckInterval);
        Assert.False(options.Lazy);
        Assert.False(options.AcceptHostBits);
        Assert.Equal(VersionMode.Normal, options.Version);
        Assert.True(options.Tcp.Enabled);
        Assert.Equal("10s", options.Tcp.IdleTimeout);
        Assert.Equal(1024, options.Tcp.MaxConnections);
        Assert.Equal(1232, options.EdnsPayloadSize);
        Assert.Null(options.UdpLoops);
        Assert.Equal(100, options.UdpBatchWait);
    }

    [Fact]
    public void RateLimit_is_off_by_default_and_binds_its_section()
    {
        var off = Valid(Memory(("Dnsbl:Listen:0", "127.0.0.1/53"), ("Dnsbl:Zones:0", "bl.test:ip4set:bl")));
        Assert.False(off.RateLimit.Enabled);
        Assert.Equal((2, 24, 56, 1 << 20), (off.RateLimit.Slip, off.RateLimit.Ipv4PrefixLength, off.RateLimit.Ipv6PrefixLength, off.RateLimit.TableSize));

        var on = Valid(Json("""
            { "Dnsbl": { "Listen": [ "127.0.0.1/53" ], "Zones": [ "bl.test:ip4set:bl" ],
              "RateLimit": { "ResponsesPerSecond": 10, "Slip": 0, "Ipv4PrefixLength": 32, "Ipv6PrefixLength": 64,
                             "Exempt": [ "192.0.2.0/24", "2001:db8::/32", "198.51.100.7" ], "DryRun": true, "TableSize": 4096 } } }
            """));
        Assert.True(on.RateLimit.Enabled);
        Assert.Equal((10, 0, 32, 64, true, 4096), (on.RateLimit.ResponsesPerSecond, on.RateLimit.Slip, on.RateLimit.Ipv4PrefixLength,
            on.RateLimit.Ipv6PrefixLength, on.RateLimit.DryRun, on.RateLimit.TableSize));
        Assert.Equal(["192.0.2.0/24", "2001:db8::/32", "198.51.100.7/32"], on.RateLimit.Exempt.Select(n => n.ToString()));
    }

    [Theory]
    [InlineData("Dnsbl:RateLimit:ResponsesPerSecond", "-1", "Dnsbl:RateLimit:ResponsesPerSecond -1: must be 0 (off) or more")]
    [InlineData("Dnsbl:RateLimit:Ipv4PrefixLength", "33", "Dnsbl:RateLimit:Ipv4PrefixLength 33: must be 1-32")]
    [InlineData("Dnsbl:RateLimit:TableSize", "0", "Dnsbl:RateLimit:TableSize 0: must be 1-67108864")]
    [InlineData("Dnsbl:RateLimit:Exempt:0", "2001:db8::1/32", "Dnsbl:RateLimit:Exempt:0 '2001:db8::1/32': not an address prefix")]
    [InlineData("Dnsbl:RateLimit:Exempt:0", "nonsense", "Dnsbl:RateLimit:Exempt:0 'nonsense': not an address prefix")]
    public void RateLimit_mistakes_name_their_key(string key, string value, string expected)
    {
        string errors = Invalid(Memory(("Dnsbl:Listen:0", "127.0.0.1/53"), ("Dnsbl:Zones:0", "bl.test:ip4set:bl"), (key, value)));
        Assert.Contains(expected, errors);
    }

    [Fact]
    public void Full_json_document()
    {
        ServerSettings s = Valid(Json("""
            {
              "Dnsbl": {
                "Listen": [ "127.0.0.1/5300", "[::1]:5300", "10.0.0.1:53", "::", "127.0.0.1:5300" ],
                "WorkingDirectory": "/srv/dnsbl",
                "Ttl": "60:30:300",
                "CheckInterval": "5m",
                "Zones": [
                  "bl.example:ip4set:a.txt,b.txt",
                  { "Name": "DBL.Example.", "Type": "dnset", "Files": [ "dbl.txt" ] },
                  { "Spec": "wl.example:ip4trie:wl.txt:more.txt" },
                  ":acl:global.acl"
                ],
                "Lazy": true,
                "AcceptHostBits": true,
                "Version": "Refused",
                "QueryLog": "+-",
                "StatsFile": "+stats.log",
                "NoGzip": true,
                "Tcp": { "Enabled": false, "IdleTimeout": "30", "QueryTimeout": "2s", "MaxConnections": 50 },
                "EdnsPayloadSize": 4096,
                "UdpLoops": 3,
                "UdpBatchWait": 0
              }
            }
            """));

        Assert.Equal(["127.0.0.1:5300", "[::1]:5300", "10.0.0.1:53", "[::]:53"], s.Listen.Select(e => e.ToString()));
        Assert.Equal("/srv/dnsbl", s.WorkingDirectory);
        Assert.Equal((60u, 30u, 300u), (s.DefaultTtl, s.MinTtl, s.MaxTtl));
        Assert.Equal(TimeSpan.FromMinutes(5), s.CheckInterval);
        Assert.Equal(
            ["bl.example:ip4set:a.txt,b.txt", "dbl.example:dnset:dbl.txt", "wl.example:ip4trie:wl.txt,more.txt", ":acl:global.acl"],
            s.Zones.Select(z => z.ToString()));
        Assert.True(s.LazyNs);
        Assert.True(s.AcceptHostBits);
        Assert.Equal(VersionMode.Refused, s.VersionMode);
        Assert.Equal(new QueryLogTarget("-", true), s.QueryLog);
        Assert.Equal(new StatsFileTarget("stats.log", true), s.StatsFile);
        Assert.True(s.NoGzip);
        Assert.Equal(new TcpSettings { Enabled = false, IdleTimeout = TimeSpan.FromSeconds(30), QueryTimeout = TimeSpan.FromSeconds(2), MaxConnections = 50 }, s.Tcp);
        Assert.Equal(4096, s.EdnsPayloadSize);
        Assert.Equal(3, s.UdpLoopsPerEndpoint);
        Assert.Equal(0, s.UdpBatchWaitMicroseconds);
    }

    [Fact]
    public void Flat_keys_as_from_environment_or_command_line()
    {
        // Keys as the environment provider produces them from DNSBL__LISTEN__0 etc.: case-insensitive.
        ServerSettings s = Valid(Memory(
            ("DNSBL:LISTEN:0", "::1/5353"),
            ("dnsbl:zones:0", "bl.example:ip4set:a"),
            ("Dnsbl:Zones:1:Name", "x.example"),
            ("Dnsbl:Zones:1:Type", "generic"),
            ("Dnsbl:Zones:1:Files:0", "x.txt"),
            ("DNSBL:TTL", "1h"),
            ("Dnsbl:Tcp:Enabled", "false"),
            ("Dnsbl:UdpLoops", "2"),
            ("Dnsbl:Version", "short")));
        Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 5353)], s.Listen.ToArray());
        Assert.Equal(["bl.example:ip4set:a", "x.example:generic:x.txt"], s.Zones.Select(z => z.ToString()));
        Assert.Equal(3600u, s.DefaultTtl);
        Assert.False(s.Tcp.Enabled);
        Assert.Equal(2, s.UdpLoopsPerEndpoint);
        Assert.Equal(VersionMode.Short, s.VersionMode);
    }

    [Fact]
    public void Real_environment_variables()
    {
        string prefix = $"DNSBLTEST{Guid.NewGuid():N}_";
        var vars = new Dictionary<string, string>
        {
            [prefix + "DNSBL__LISTEN__0"] = "127.0.0.1:5301",
            [prefix + "DNSBL__ZONES__0"] = "env.example:dnset:env.txt",
            [prefix + "DNSBL__CHECKINTERVAL"] = "0",
            [prefix + "DNSBL__TCP__MAXCONNECTIONS"] = "7",
        };
        try
        {
            foreach ((string key, string value) in vars)
            {
                Environment.SetEnvironmentVariable(key, value);
            }

            ServerSettings s = Valid(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build());
            Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5301)], s.Listen.ToArray());
            Assert.Equal("env.example", Assert.Single(s.Zones).Name);
            Assert.Equal(TimeSpan.Zero, s.CheckInterval);
            Assert.Equal(7, s.Tcp.MaxConnections);
        }
        finally
        {
            foreach (string key in vars.Keys)
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }

    [Fact]
    public void Command_line_provider_keys()
    {
        ServerSettings s = Valid(new ConfigurationBuilder().AddCommandLine(
            ["--Dnsbl:Listen:0=127.0.0.1/5302", "--Dnsbl:Zones:0", "cl.example:ip4set:c", "--Dnsbl:EdnsPayloadSize=512"]).Build());
        Assert.Equal(5302, Assert.Single(s.Listen).Port);
        Assert.Equal("cl.example", Assert.Single(s.Zones).Name);
        Assert.Equal(512, s.EdnsPayloadSize);
    }

    public static TheoryData<(string, string?)[], string> ErrorCases => new()
    {
        { [], "no zone(s) to service specified: give zone:type:file[,file...] arguments or Dnsbl:Zones" },
        { [("Dnsbl:Zones:0", "bl:ip4set:f")], "no address to listen on specified: give -b addr[/port] or Dnsbl:Listen" },
        { [("Dnsbl:Listen:0", "localhost:53")], "Dnsbl:Listen:0 'localhost:53': 'localhost' is not a numeric IP address" },
        { [("Dnsbl:Listen:0", "::1"), ("Dnsbl:Listen:1", "1.2.3.4:99999")], "Dnsbl:Listen:1 '1.2.3.4:99999': invalid port '99999'" },
        { [("Dnsbl:Zones:0", "bl:ip4set")], "Dnsbl:Zones:0: invalid zone spec 'bl:ip4set'" },
        { [("Dnsbl:Zones:0:Name", "bl"), ("Dnsbl:Zones:0:Type", "ipset"), ("Dnsbl:Zones:0:Files:0", "f")], "Dnsbl:Zones:0: invalid zone 'bl:ipset:f': unknown dataset type 'ipset'" },
        { [("Dnsbl:Zones:0:Name", "bl"), ("Dnsbl:Zones:0:Type", "ip4set")], "Dnsbl:Zones:0: invalid zone 'bl:ip4set:': missing file names for ip4set" },
        { [("Dnsbl:Ttl", "0")], "Dnsbl:Ttl '0': invalid default TTL" },
        { [("Dnsbl:Ttl", "1h30m")], "Dnsbl:Ttl '1h30m': invalid default TTL" },
        { [("Dnsbl:Ttl", "60:120")], "Dnsbl:Ttl '60:120': inconsistent def:min:max TTL 60:120:0" },
        { [("Dnsbl:CheckInterval", "00:01:00")], "Dnsbl:CheckInterval '00:01:00': invalid duration" },
        { [("Dnsbl:Tcp:IdleTimeout", "5x")], "Dnsbl:Tcp:IdleTimeout '5x': invalid duration" },
        { [("Dnsbl:Tcp:IdleTimeout", "0")], "Dnsbl:Tcp:IdleTimeout 00:00:00: must be greater than 0" },
        { [("Dnsbl:Tcp:QueryTimeout", "0")], "Dnsbl:Tcp:QueryTimeout 00:00:00: must be greater than 0" },
        { [("Dnsbl:Tcp:MaxConnections", "0")], "Dnsbl:Tcp:MaxConnections 0: must be at least 1" },
        { [("Dnsbl:EdnsPayloadSize", "511")], "Dnsbl:EdnsPayloadSize 511: must be 512-65535" },
        { [("Dnsbl:EdnsPayloadSize", "65536")], "Dnsbl:EdnsPayloadSize 65536: must be 512-65535" },
        { [("Dnsbl:UdpLoops", "0")], "Dnsbl:UdpLoops 0: must be 1-1024" },
        { [("Dnsbl:UdpBatchWait", "20000")], "Dnsbl:UdpBatchWait 20000: must be 0-10000 (microseconds)" },
        { [("Dnsbl:MaxFileBytes", "-1")], "Dnsbl:MaxFileBytes -1: must be 0 (no limit) or more" },
        { [("Dnsbl:MaxFileLines", "-5")], "Dnsbl:MaxFileLines -5: must be 0 (no limit) or more" },
        { [("Dnsbl:MaxShrinkPercent", "-1")], "Dnsbl:MaxShrinkPercent -1: must be 0 (off) to 100" },
        { [("Dnsbl:MaxShrinkPercent", "101")], "Dnsbl:MaxShrinkPercent 101: must be 0 (off) to 100" },
        { [("Dnsbl:LoadTimeout", "0")], "Dnsbl:LoadTimeout 00:00:00: must be greater than 0" },
        { [("Dnsbl:LoadTimeout", "x")], "Dnsbl:LoadTimeout 'x': invalid duration" },
        { [("Dnsbl:Zones:0", ":acl:a"), ("Dnsbl:Zones:1", ":acl:b")], "global acl specified more than once" },
        { [("Dnsbl:ProxyProtocol:TrustedProxies:0", "10.0.0.1/8")], "Dnsbl:ProxyProtocol:TrustedProxies:0 '10.0.0.1/8': expected an address or a prefix" },
        { [("Dnsbl:ProxyProtocol:TrustedProxies:0", "dnsdist.local")], "Dnsbl:ProxyProtocol:TrustedProxies:0 'dnsdist.local': expected an address or a prefix" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Errors_name_the_key((string, string?)[] pairs, string expected)
    {
        // Supply a valid listen address and zone unless the case is about them.
        var all = new List<(string, string?)>(pairs);
        if (!pairs.Any(p => p.Item1.StartsWith("Dnsbl:Listen", StringComparison.Ordinal)) && pairs.Length > 0 && !expected.StartsWith("no ", StringComparison.Ordinal))
        {
            all.Add(("Dnsbl:Listen:9", "127.0.0.1/5300"));
        }

        if (!pairs.Any(p => p.Item1.StartsWith("Dnsbl:Zones", StringComparison.Ordinal)) && pairs.Length > 0)
        {
            all.Add(("Dnsbl:Zones:9", "ok.example:ip4set:ok"));
        }

        Assert.Contains(expected, Invalid(Memory([.. all])));
    }

    [Fact]
    public void Trusted_proxies_are_prefixes_a_bare_address_one_host_off_by_default()
    {
        var s = Valid(Memory(("Dnsbl:Listen:0", "127.0.0.1/5300"), ("Dnsbl:Zones:0", "bl:ip4set:f"),
            ("Dnsbl:ProxyProtocol:TrustedProxies:0", "10.0.0.0/8"), ("Dnsbl:ProxyProtocol:TrustedProxies:1", "2001:db8::53"),
            ("Dnsbl:ProxyProtocol:TrustedProxies:2", " 127.0.0.1 ")));

        Assert.Equal(["10.0.0.0/8", "2001:db8::53/128", "127.0.0.1/32"], s.TrustedProxies.Select(n => n.ToString()));
        Assert.Empty(new ServerSettings().TrustedProxies);
    }

    [Fact]
    public void Unconvertible_value_throws_naming_the_key()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DnsblOptions.Bind(Memory(("Dnsbl:EdnsPayloadSize", "big"))));
        Assert.Contains("Dnsbl:EdnsPayloadSize", e.Message);
    }

    [Fact]
    public void File_limits_and_shrink_guard_reach_the_load_options()
    {
        var defaults = Valid(Memory(("Dnsbl:Listen:0", "127.0.0.1/5300"), ("Dnsbl:Zones:0", "bl.test:ip4set:bl"))).ToLoadOptions();
        Assert.Equal(2L << 30, defaults.MaxFileBytes);
        Assert.Equal(50_000_000, defaults.MaxFileLines);
        Assert.Equal(50, defaults.MaxShrinkPercent);

        ServerSettings s = Valid(Memory(("Dnsbl:Listen:0", "127.0.0.1/5300"), ("Dnsbl:Zones:0", "bl.test:ip4set:bl"),
            ("Dnsbl:MaxFileBytes", "1000"), ("Dnsbl:MaxFileLines", "0"), ("Dnsbl:MaxShrinkPercent", "0"), ("Dnsbl:LoadTimeout", "90")));
        var options = s.ToLoadOptions();
        Assert.Equal(1000, options.MaxFileBytes);
        Assert.Equal(0, options.MaxFileLines);
        Assert.Equal(0, options.MaxShrinkPercent);
        Assert.Equal(TimeSpan.FromSeconds(90), s.LoadTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), new ServerSettings().LoadTimeout);
    }

    [Fact]
    public void Empty_strings_mean_unset()
    {
        ServerSettings s = Valid(Memory(
            ("Dnsbl:Listen:0", "::1"), ("Dnsbl:Zones:0", "a:dnset:f"),
            ("Dnsbl:WorkingDirectory", ""), ("Dnsbl:QueryLog", ""), ("Dnsbl:StatsFile", "")));
        Assert.Null(s.WorkingDirectory);
        Assert.Null(s.QueryLog);
        Assert.Null(s.StatsFile);
    }

    [Fact]
    public void Default_app_settings_serve_the_sample_zones()
    {
        ServerSettings s = Valid(Json(DefaultAppSettings.Json));
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5300)], s.Listen.ToArray());
        Assert.Equal(
            ["dnsbl-1.uceprotect.example:ip4set:zones/dnsbl-1.txt", "dnsbl-2.uceprotect.example:ip4set:zones/dnsbl-2.txt",
             "dnsbl-6.uceprotect.example:ip6trie:zones/dnsbl-6.txt", "dbl.uceprotect.example:dnset:zones/dbl.txt"],
            s.Zones.Select(z => z.ToString()));
        Assert.Null(s.WorkingDirectory);

        using Stream stream = DefaultAppSettings.OpenStream();
        Assert.Equal(DefaultAppSettings.Json, new StreamReader(stream).ReadToEnd());
    }

    // the A/B benchmark passes a setting for both servers and again for one: the later wins, as with
    // .NET's command-line provider, instead of an unhandled "same key" exception at start
    [Theory]
    [InlineData("--Dnsbl:EdnsPayloadSize=1400", "--Dnsbl:EdnsPayloadSize=1300")]
    [InlineData("--Dnsbl:EdnsPayloadSize=1400", "--dnsbl:ednspayloadsize=1300")]
    [InlineData("--Dnsbl:EdnsPayloadSize", "1400", "--Dnsbl:EdnsPayloadSize=1300")]
    public void A_setting_given_twice_on_the_command_line_takes_the_later_value(params string[] overrides)
    {
        var sources = new SettingsSources { AppSettingsPath = "/nonexistent/appsettings.json", Environment = new Dictionary<string, string?>() };
        var result = SettingsPipeline.Build(["-b", "127.0.0.1/5300", .. overrides, "bl.test:ip4set:bl"], listenRequired: true, sources);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        Assert.Equal(1300, result.Settings.EdnsPayloadSize);
    }
}
