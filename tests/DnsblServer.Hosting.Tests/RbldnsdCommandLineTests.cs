using DnsblServer.Zones.ZoneSets;
using System.Net;
using DnsblServer.Hosting.Configuration;

namespace DnsblServer.Hosting.Tests;

public class RbldnsdCommandLineTests
{
    [Fact]
    public void Defaults_match_rbldnsd()
    {
        ServerSettings s = TestArgs.Ok();
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5300)], s.Listen.ToArray());
        Assert.Equal(2100u, s.DefaultTtl);
        Assert.Equal(0u, s.MinTtl);
        Assert.Equal(0u, s.MaxTtl);
        Assert.Equal(TimeSpan.FromSeconds(60), s.CheckInterval);
        Assert.False(s.AcceptHostBits);
        Assert.False(s.LazyNs);
        Assert.Equal(VersionMode.Normal, s.VersionMode);
        Assert.False(s.Foreground);
        Assert.False(s.Quiet);
        Assert.False(s.Fork);
        Assert.False(s.NoGzip);
        Assert.False(s.Dump);
        Assert.False(s.IPv4Only);
        Assert.False(s.IPv6Only);
        Assert.Null(s.PidFile);
        Assert.Null(s.QueryLog);
        Assert.Null(s.StatsFile);
        Assert.Null(s.WorkingDirectory);
        Assert.Equal("daemon", s.SyslogFacility);
        Assert.True(s.Tcp.Enabled);
        Assert.Equal(1232, s.EdnsPayloadSize);
        Assert.Equal(Environment.ProcessorCount, s.UdpLoopsPerEndpoint);
        ZoneSpec zone = Assert.Single(s.Zones);
        Assert.Equal(("bl.example", "ip4set"), (zone.Name, zone.Type));
        Assert.Equal(["bl.txt"], zone.Files.ToArray());
    }

    public static TheoryData<string[], Func<ServerSettings, object?>, object?> Flags => new()
    {
        { ["-n"], s => s.Foreground, true },
        { ["-q"], s => s.Quiet, true },
        { ["-e"], s => s.AcceptHostBits, true },
        { ["-f"], s => s.Fork, true },
        { ["-C"], s => s.NoGzip, true },
        { ["-d"], s => s.Dump, true },
        { ["-a"], s => s.LazyNs, true },
        { ["-A"], s => s.LazyNs, false },
        { ["-a", "-A"], s => s.LazyNs, false },
        { ["-A", "-a"], s => s.LazyNs, true },
        { ["-4"], s => (s.IPv4Only, s.IPv6Only), (true, false) },
        { ["-6", "-4"], s => (s.IPv4Only, s.IPv6Only), (true, false) },
        { ["-v"], s => s.VersionMode, VersionMode.Short },
        { ["-v", "-v"], s => s.VersionMode, VersionMode.Refused },
        { ["-vvv"], s => s.VersionMode, VersionMode.Refused },
        { ["-w", "/srv/dnsbl"], s => s.WorkingDirectory, "/srv/dnsbl" },
        { ["-w/srv/dnsbl"], s => s.WorkingDirectory, "/srv/dnsbl" },
        { ["-w", "a", "-w", "b"], s => s.WorkingDirectory, "b" },
        { ["-p", "/run/rbldnsd.pid"], s => s.PidFile, "/run/rbldnsd.pid" },
        { ["-l", "queries.log"], s => s.QueryLog, new QueryLogTarget("queries.log", false) },
        { ["-l", "+queries.log"], s => s.QueryLog, new QueryLogTarget("queries.log", true) },
        { ["-l", "-"], s => (s.QueryLog, s.QueryLog!.IsStandardOutput), (new QueryLogTarget("-", false), true) },
        { ["-l+-"], s => (s.QueryLog, s.QueryLog!.IsStandardOutput), (new QueryLogTarget("-", true), true) },
        { ["-l", "+"], s => s.QueryLog, null },
        { ["-l", ""], s => s.QueryLog, null },
        { ["-s", "stats"], s => s.StatsFile, new StatsFileTarget("stats", false) },
        { ["-s", "+stats"], s => s.StatsFile, new StatsFileTarget("stats", true) },
        { ["-s", "+"], s => s.StatsFile, null },
        { ["-F", "local3"], s => s.SyslogFacility, "local3" },
        { ["-Fuser"], s => s.SyslogFacility, "user" },
        { ["-c", "0"], s => s.CheckInterval, TimeSpan.Zero },
        { ["-c", "30"], s => s.CheckInterval, TimeSpan.FromSeconds(30) },
        { ["-c", "5m"], s => s.CheckInterval, TimeSpan.FromMinutes(5) },
        { ["-c2h"], s => s.CheckInterval, TimeSpan.FromHours(2) },
        { ["-c", "1D"], s => s.CheckInterval, TimeSpan.FromDays(1) },
        { ["-c", "1w"], s => s.CheckInterval, TimeSpan.FromDays(7) },
        { ["-c", "10s "], s => s.CheckInterval, TimeSpan.FromSeconds(10) },
        { ["-t", "1h"], s => (s.DefaultTtl, s.MinTtl, s.MaxTtl), (3600u, 0u, 0u) },
        { ["-t", "60:30:300"], s => (s.DefaultTtl, s.MinTtl, s.MaxTtl), (60u, 30u, 300u) },
        { ["-t", "1m::2m"], s => (s.DefaultTtl, s.MinTtl, s.MaxTtl), (60u, 0u, 120u) },
        { ["-t", "7101w"], s => s.DefaultTtl, 4294684800u },
        { ["-t", ":1m"], s => (s.DefaultTtl, s.MinTtl, s.MaxTtl), (2100u, 60u, 0u) },
        { ["-t", "1h", "-t", ":1m", "-t", "::2h"], s => (s.DefaultTtl, s.MinTtl, s.MaxTtl), (3600u, 60u, 7200u) },
    };

    [Theory]
    [MemberData(nameof(Flags))]
    public void Option_sets_its_setting(string[] options, Func<ServerSettings, object?> get, object? expected) =>
        Assert.Equal(expected, get(TestArgs.Ok(options)));

    public static TheoryData<string[], string[]> Listen => new()
    {
        { ["-b", "127.0.0.1"], ["127.0.0.1:53"] },
        { ["-b127.0.0.1/5300"], ["127.0.0.1:5300"] },
        { ["-b", "127.0.0.1/"], ["127.0.0.1:53"] },
        { ["-b", "127.0.0.1/domain"], ["127.0.0.1:53"] },
        { ["-b", "127.0.0.1/0"], ["127.0.0.1:0"] },
        { ["-b", "127.1/5300"], ["127.0.0.1:5300"] },
        { ["-b", "0/5300"], ["0.0.0.0:5300"] },
        { ["-b", "::1/5300"], ["[::1]:5300"] },
        { ["-b", "[::1]/5300"], ["[::1]:5300"] },
        { ["-b", "::"], ["[::]:53"] },
        { ["-b", "127.0.0.1/5300", "-b", "::1/5300"], ["127.0.0.1:5300", "[::1]:5300"] },
        { ["-b", "127.0.0.1/5300", "-b", "127.0.0.1/5300"], ["127.0.0.1:5300"] },
        { ["-4", "-b", "0.0.0.0"], ["0.0.0.0:53"] },
        { ["-6", "-b", "::"], ["[::]:53"] },
    };

    [Theory]
    [MemberData(nameof(Listen))]
    public void Bind_addresses(string[] options, string[] expected)
    {
        ServerSettings s = TestArgs.Parsed([.. options, TestArgs.Zone]);
        Assert.Equal(expected, s.Listen.Select(e => e.ToString()));
    }

    public static TheoryData<string[], string> GetoptForms => new()
    {
        { ["-nq", "-b", "127.0.0.1", TestArgs.Zone], "n q" },
        { ["-nqb127.0.0.1", TestArgs.Zone], "n q" },
        { ["-nqb", "127.0.0.1", TestArgs.Zone], "n q" },
        { [TestArgs.Zone, "-b", "127.0.0.1", "-n"], "n" },           // GNU getopt permutes operands
        { ["-b", "127.0.0.1", "--", TestArgs.Zone], "" },
        { ["-qb", "127.0.0.1", "-e", "--", TestArgs.Zone], "q e" },
        { ["-b", "127.0.0.1", "--Dnsbl:Ttl=1h", TestArgs.Zone, "-n"], "n" }, // configuration override skipped
        { ["-b", "127.0.0.1", "--Dnsbl:Ttl", "1h", TestArgs.Zone], "" },
    };

    [Theory]
    [MemberData(nameof(GetoptForms))]
    public void Getopt_forms(string[] args, string flags)
    {
        ServerSettings s = TestArgs.Parsed(args);
        Assert.Equal(flags.Contains('n'), s.Foreground);
        Assert.Equal(flags.Contains('q'), s.Quiet);
        Assert.Equal(flags.Contains('e'), s.AcceptHostBits);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 53)], s.Listen.ToArray());
        Assert.Equal("bl.example", Assert.Single(s.Zones).Name);
    }

    [Fact]
    public void Option_value_may_start_with_dash()
    {
        // getopt hands the next argument to -l whatever it looks like.
        ServerSettings s = TestArgs.Parsed(["-l", "-n", "-b", "127.0.0.1", TestArgs.Zone]);
        Assert.Equal("-n", s.QueryLog!.Path);
        Assert.False(s.Foreground);
    }

    [Fact]
    public void After_double_dash_options_are_zone_specs()
    {
        string errors = TestArgs.Errors("-b", "127.0.0.1", "--", TestArgs.Zone, "-n");
        Assert.Contains("invalid zone spec '-n'", errors);
    }

    [Fact]
    public void Zones_keep_order_and_repeats()
    {
        ServerSettings s = TestArgs.Parsed(["-b", "::1", "a.example:ip4set:a", "b.example:dnset:b1,b2", "a.example:generic:g", ":acl:global.acl"]);
        Assert.Equal(["a.example:ip4set:a", "b.example:dnset:b1,b2", "a.example:generic:g", ":acl:global.acl"], s.Zones.Select(z => z.ToString()));
        Assert.True(s.Zones[3].IsGlobalAcl);
    }

    [Fact]
    public void Dump_does_not_need_bind_address()
    {
        ServerSettings s = TestArgs.Parsed(["-d", TestArgs.Zone]);
        Assert.True(s.Dump);
        Assert.Empty(s.Listen);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("-nh")]
    public void Help(string arg)
    {
        SettingsResult result = RbldnsdCommandLine.Parse([arg]);
        Assert.True(result.ShowHelp);
        Assert.False(result.IsSuccess);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Help_is_not_taken_from_an_option_value()
    {
        // -b consumes "h" as its address, exactly as getopt would.
        Assert.Contains("-b 'h'", TestArgs.Errors("-bh", TestArgs.Zone));
    }

    public static TheoryData<string[], string> ErrorCases => new()
    {
        { [], "no zone(s) to service specified" },
        { [TestArgs.Zone], "no address to listen on specified: give -b" },
        { ["-b", "127.0.0.1"], "no zone(s) to service specified" },
        { ["-Z", "-b", "127.0.0.1", TestArgs.Zone], "invalid option -- 'Z'" },
        { ["-nZq", "-b", "127.0.0.1", TestArgs.Zone], "invalid option -- 'Z'" },
        { ["-b", "127.0.0.1", TestArgs.Zone, "-b"], "option requires an argument -- 'b'" },
        { ["-b", "127.0.0.1", TestArgs.Zone, "-t"], "option requires an argument -- 't'" },
        { ["-u", "rbldns", "-b", "127.0.0.1", TestArgs.Zone], "-u 'rbldns': not supported: DnsblServer does not switch user" },
        { ["-urbldns:rbldns", "-b", "127.0.0.1", TestArgs.Zone], "-u 'rbldns:rbldns': not supported" },
        { ["-r", "/var/lib/rbldnsd", "-b", "127.0.0.1", TestArgs.Zone], "-r '/var/lib/rbldnsd': not supported: DnsblServer does not chroot; use systemd sandboxing" },
        { ["-x", "ext.so", "-b", "127.0.0.1", TestArgs.Zone], "-x 'ext.so': not supported: DnsblServer cannot load rbldnsd C extension modules" },
        { ["-X", "arg", "-b", "127.0.0.1", TestArgs.Zone], "-X 'arg': not supported" },
        { ["-b", "/5300", TestArgs.Zone], "-b '/5300': missing host part" },
        { ["-b", "127.0.0.1:5300", TestArgs.Zone], "-b '127.0.0.1:5300': invalid IP address '127.0.0.1:5300'" },
        { ["-b", "[::1]:5300", TestArgs.Zone], "-b '[::1]:5300': invalid IP address" },
        { ["-b", "127.0.0.1/70000", TestArgs.Zone], "-b '127.0.0.1/70000': invalid port '70000'" },
        { ["-b", "127.0.0.1/ntp", TestArgs.Zone], "-b '127.0.0.1/ntp': invalid port 'ntp' (expected 0-65535 or 'domain')" },
        { ["-b", "127.0.0.1/-1", TestArgs.Zone], "invalid port '-1'" },
        { ["-b", "256.1.1.1", TestArgs.Zone], "invalid IP address '256.1.1.1'" },
        { ["-4", "-b", "::1", TestArgs.Zone], "listen address ::1/53 is IPv6, but -4 allows IPv4 only" },
        { ["-6", "-b", "127.0.0.1", TestArgs.Zone], "listen address 127.0.0.1/53 is IPv4, but -6 allows IPv6 only" },
        { ["-4", "-b", "::ffff:127.0.0.1", TestArgs.Zone], "is IPv6, but -4" },
        { ["-t", "0", "-b", "::1", TestArgs.Zone], "-t '0': invalid default TTL" },
        { ["-t", "1h30m", "-b", "::1", TestArgs.Zone], "-t '1h30m': invalid default TTL" },
        { ["-t", "35x", "-b", "::1", TestArgs.Zone], "-t '35x': invalid default TTL" },
        { ["-t", "10000000w", "-b", "::1", TestArgs.Zone], "-t '10000000w': invalid default TTL" },
        { ["-t", "4294967296", "-b", "::1", TestArgs.Zone], "-t '4294967296': invalid default TTL" },
        { ["-t", "30:x", "-b", "::1", TestArgs.Zone], "-t '30:x': invalid minimum TTL" },
        { ["-t", "30::y", "-b", "::1", TestArgs.Zone], "-t '30::y': invalid maximum TTL" },
        { ["-t", "30::::", "-b", "::1", TestArgs.Zone], "-t '30::::': too many fields" },
        { ["-t", "30:60", "-b", "::1", TestArgs.Zone], "-t '30:60': inconsistent def:min:max TTL 30:60:0" },
        { ["-t", "30::10", "-b", "::1", TestArgs.Zone], "inconsistent def:min:max TTL 30:0:10" },
        { ["-t", ":100:50", "-b", "::1", TestArgs.Zone], "inconsistent def:min:max TTL 2100:100:50" },
        { ["-t", "::2m", "-b", "::1", TestArgs.Zone], "-t '::2m': inconsistent def:min:max TTL 2100:0:120" },
        { ["-c", "1m:", "-b", "::1", TestArgs.Zone], "-c '1m:': invalid check interval" },
        { ["-c", "", "-b", "::1", TestArgs.Zone], "-c '': invalid check interval" },
        { ["-c", "1h30m", "-b", "::1", TestArgs.Zone], "-c '1h30m': invalid check interval" },
        { ["-c", "-5", "-b", "::1", TestArgs.Zone], "-c '-5': invalid check interval" },
        { ["-F", "LOCAL0", "-b", "::1", TestArgs.Zone], "-F 'LOCAL0': log facility is not valid" },
        { ["-w", "", "-b", "::1", TestArgs.Zone], "-w: empty directory" },
        { ["-p", "", "-b", "::1", TestArgs.Zone], "-p: empty file name" },
        { ["-b", "::1", "bl"], "invalid zone spec 'bl': expected zone:type:file[,file...]" },
        { ["-b", "::1", "bl:ip4set"], "invalid zone spec 'bl:ip4set'" },
        { ["-b", "::1", "bl:ip4set:"], "invalid zone 'bl:ip4set:': missing file names for ip4set" },
        { ["-b", "::1", "bl:ip4set:,:"], "missing file names for ip4set" },
        { ["-b", "::1", "bl:IP4SET:f"], "unknown dataset type 'IP4SET'" },
        { ["-b", "::1", "bl::f"], "invalid zone 'bl::f': missing dataset type" },
        { ["-b", "::1", ":ip4set:f"], "invalid zone ':ip4set:f': missing zone name" },
        { ["-b", "::1", ".:dnset:f"], "missing zone name" },
        { ["-b", "::1", ":acl:a", ":acl:b"], "global acl specified more than once" },
        { ["-b", "::1", "bl:acl:a", "BL.:acl:b"], "repeated ACL definition for zone 'bl'" },
        { ["-b", "::1", "y:acl:a", "bl:ip4set:f"], "missing data for zone 'y'" },
        { ["-b", "::1", ":acl:a"], "no zone(s) to service specified" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Errors_name_the_culprit(string[] args, string expected) =>
        Assert.Contains(expected, TestArgs.Errors(args));

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        SettingsResult result = RbldnsdCommandLine.Parse(["-Z", "-t", "x", "-c", "y", "-b", "nohost", "bad"]);
        Assert.Equal(5, result.Errors.Count);
    }

    [Fact]
    public void Errors_suppress_completeness_checks()
    {
        // A bad zone spec should not also produce "no zone(s)" noise.
        SettingsResult result = RbldnsdCommandLine.Parse(["-b", "::1", "bad"]);
        Assert.Equal(["invalid zone spec 'bad': expected zone:type:file[,file...]"], result.Errors);
    }

    [Fact]
    public void Baseline_is_overridden_only_where_given()
    {
        var baseline = new ServerSettings
        {
            Listen = [new IPEndPoint(IPAddress.IPv6Loopback, 5353)],
            Zones = [ParseZone("json.example:dnset:j.txt")],
            DefaultTtl = 60,
            MinTtl = 30,
            MaxTtl = 300,
            LazyNs = true,
            EdnsPayloadSize = 4096,
        };

        ServerSettings none = RbldnsdCommandLine.Parse([], baseline).Settings!;
        Assert.Same(baseline.Zones[0], none.Zones[0]);
        Assert.Equal(baseline.Listen.ToArray(), none.Listen.ToArray());

        ServerSettings some = RbldnsdCommandLine.Parse(["-t", "120", "-A", "-b", "127.0.0.1", "cli.example:ip4set:c"], baseline).Settings!;
        Assert.Equal((120u, 30u, 300u), (some.DefaultTtl, some.MinTtl, some.MaxTtl));
        Assert.False(some.LazyNs);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 53)], some.Listen.ToArray());
        Assert.Equal("cli.example", Assert.Single(some.Zones).Name);
        Assert.Equal(4096, some.EdnsPayloadSize);

        Assert.Contains("inconsistent def:min:max TTL 600:30:300", string.Join("\n", RbldnsdCommandLine.Parse(["-t", "600"], baseline).Errors));
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--Dnsbl:Ttl=1h" }, false)]
    [InlineData(new[] { "--Dnsbl:Ttl", "1h" }, false)]
    [InlineData(new[] { "--" }, false)]
    [InlineData(new[] { "-n" }, true)]
    [InlineData(new[] { "bl:ip4set:f" }, true)]
    [InlineData(new[] { "--Dnsbl:Ttl=1h", "-Z" }, true)]
    public void Has_rbldnsd_arguments(string[] args, bool expected) =>
        Assert.Equal(expected, RbldnsdCommandLine.HasRbldnsdArguments(args));

    private static ZoneSpec ParseZone(string spec)
    {
        Assert.True(ZoneSpec.TryParse(spec, out ZoneSpec? zone, out string? error), error);
        return zone;
    }

    [Fact]
    public void A_host_name_is_resolved_and_every_address_bound_as_rbldnsd_does()
    {
        var addresses = System.Net.Dns.GetHostAddresses("localhost").Select(a => new System.Net.IPEndPoint(a, 5300)).Distinct().ToArray();
        Assert.Equal(addresses, TestArgs.Parsed(["-b", "localhost/5300", TestArgs.Zone]).Listen.ToArray());
        Assert.Equal(addresses.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork),
            TestArgs.Parsed(["-4", "-b", "localhost/5300", TestArgs.Zone]).Listen.ToArray());
    }
}
