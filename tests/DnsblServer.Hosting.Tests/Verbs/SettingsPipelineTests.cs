using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Verbs;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Verbs;

/// <summary>
/// The one settings pipeline, table-driven: every verb in the registry reads the same settings, warnings and
/// errors from the same appsettings.json, environment and arguments (explain's ZONE IP aside).
/// </summary>
public sealed class SettingsPipelineTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Zone = "bl.test:ip4set:bl";

    public static TheoryData<string, string[], string?, string?> Inputs => new()
    {
        // name, arguments, appsettings.json (null: none), environment as NAME=VALUE (null: none)
        { "rbldnsd command line", ["-b", "127.0.0.1/5300", "-t", "5m:1m:1h", "-e", "-a", Zone], null, null },
        { "settings only, --Key=Value", ["--Dnsbl:Listen:0=127.0.0.1/5300", $"--Dnsbl:Zones:0={Zone}", "--Dnsbl:Ttl=1h"], null, null },
        { "settings only, --Key Value", ["--Dnsbl:Listen:0", "[::1]:5300", "--Dnsbl:Zones:0", Zone, "--Dnsbl:Version", "Short"], null, null },
        { "environment under a command line", ["-b", "127.0.0.1/5300", Zone], null, "DNSBL__LAZY=true" },
        { "appsettings under a command line (its exempt list applies)", ["-b", "127.0.0.1/5300", Zone],
            """{ "Dnsbl": { "Ttl": "10m", "Exempt": [ { "Name": "eop", "Files": [ "eop" ] } ], "Admin": { "StateDirectory": "/var/lib/x" } } }""", null },
        { "arguments beat environment beat appsettings", ["-b", "127.0.0.1/5300", "--Dnsbl:EdnsPayloadSize=1400", Zone],
            """{ "Dnsbl": { "EdnsPayloadSize": 1000, "UdpLoops": 3 } }""", "DNSBL__EDNSPAYLOADSIZE=1200" },
        { "nothing: the built-in sample", [], null, null },
        { "a misspelt key is only a warning", ["-b", "127.0.0.1/5300", "--Dnsbl:DefaultTtl=1h", Zone], null, null },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void EveryVerbReadsTheSameSettings(string name, string[] args, string? json, string? environment)
    {
        var sources = Sources(json, environment);
        var results = VerbRegistry.All.Select(v => (v.Name, Result: v.ReadSettings(ArgsFor(v, args), sources))).ToList();
        foreach (var (verb, result) in results) Assert.True(result.IsSuccess, $"{name}: {verb}: {string.Join(" | ", result.Errors)}");
        string serve = Describe(results[0].Result.Settings!);
        foreach (var (verb, result) in results.Skip(1)) Assert.Equal(serve, Describe(result.Settings!));
        foreach (var (verb, result) in results.Skip(1)) Assert.Equal(results[0].Result.Warnings, result.Warnings);
    }

    [Fact]
    public void WhatMergesWithWhat()
    {
        var s = Read("serve", ["-b", "127.0.0.1/5300", "--Dnsbl:EdnsPayloadSize=1400", Zone],
            """{ "Dnsbl": { "Listen": [ "::1" ], "Zones": [ "json.test:dnset:j" ], "Ttl": "10m:1m:1h", "EdnsPayloadSize": 1000, "UdpLoops": 3, "Exempt": [ { "Files": [ "eop" ] } ] } }""",
            "DNSBL__EDNSPAYLOADSIZE=1200").Settings!;
        Assert.Equal("127.0.0.1:5300", Assert.Single(s.Listen).ToString()); // -b replaces Listen
        Assert.Equal("bl.test", Assert.Single(s.Zones).Name);                  // zone arguments replace Zones
        Assert.Equal((600u, 60u, 3600u), (s.DefaultTtl, s.MinTtl, s.MaxTtl));  // no -t: the configured TTLs
        Assert.Equal(1400, s.EdnsPayloadSize);                                 // --Dnsbl: beats DNSBL__ beats appsettings
        Assert.Equal(3, s.UdpLoopsPerEndpoint);                                // appsettings alone still applies
        Assert.Equal("eop", Assert.Single(s.Exempt).Name);                     // and so do its exempt lists
    }

    public static TheoryData<string[], string?, string> Errors => new()
    {
        // a stray option is one error naming it, not "invalid zone spec" about the word after it
        { ["--bogus", "-b", "127.0.0.1/5357", Zone], null, "unknown option '--bogus' (settings are --Dnsbl:Key=Value; see --help)" },
        { ["--bogus=1", Zone], null, "unknown option '--bogus' (settings are --Dnsbl:Key=Value; see --help)" },
        { ["-b", "127.0.0.1/5300", Zone, "--Dnsbl:Ttl"], null, "option '--Dnsbl:Ttl' requires a value" },
        { ["-b", "127.0.0.1/5300", "--Dnsbl:Ttl=0", Zone], null, "Dnsbl:Ttl '0': " },
        { ["-b", "127.0.0.1/5300", Zone], "{ \"Dnsbl\": {\n  \"Ttl\": \"1h\",\n  oops\n} }", "appsettings.json:3: invalid JSON: " },
        { ["-b", "127.0.0.1/5300", Zone], "{ \"Dnsbl\": { \"UdpLoops\": \"many\" } }", "Dnsbl:UdpLoops" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void EveryVerbFailsAlike(string[] args, string? json, string expected)
    {
        var sources = Sources(json, null);
        foreach (var verb in VerbRegistry.All)
        {
            var result = verb.ReadSettings(ArgsFor(verb, args), sources);
            Assert.False(result.IsSuccess, verb.Name);
            Assert.Contains(expected, Assert.Single(result.Errors));
        }
    }

    [Theory]
    [InlineData("--Dnsbl:DefaultTtl=1h", "unknown key Dnsbl:DefaultTtl (ignored)")]
    [InlineData("--Dnsbl:Tcp:Enable=false", "unknown key Dnsbl:Tcp:Enable (ignored)")]
    [InlineData("--Dnsbl:Admin:Tokn=x", "unknown key Dnsbl:Admin:Tokn (ignored)")]
    public void AMisspeltKeyIsAWarningForEveryVerb(string arg, string expected)
    {
        foreach (var verb in VerbRegistry.All)
        {
            var result = verb.ReadSettings(ArgsFor(verb, ["-b", "127.0.0.1/5300", arg, Zone]), Sources(null, null));
            Assert.True(result.IsSuccess, verb.Name);
            Assert.Equal([expected], result.Warnings);
        }
    }

    [Fact]
    public void KnownKeysAndOtherSectionsAreNoWarning()
    {
        var result = Read("serve", ["-b", "127.0.0.1/5300", "--Logging:LogLevel:Default=Warning", "--Dnsbl:Tcp:Enabled=false", "--Dnsbl:Metrics:Listen=127.0.0.1:9153", "--Dnsbl:Admin:Token=0123456789abcdef", Zone], null, null);
        Assert.True(result.IsSuccess, string.Join(" | ", result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void OnlyServeNeedsAnAddressToListenOn()
    {
        foreach (var verb in VerbRegistry.All)
        {
            var result = verb.ReadSettings(ArgsFor(verb, [Zone]), Sources(null, null));
            Assert.Equal(verb.Name != "serve", result.IsSuccess);
        }
    }

    [Fact]
    public async Task ServeSaysOneLineAboutAStrayOptionAndExitsTwo()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await VerbRegistry.RunAsync(["--bogus", "-b", "127.0.0.1/5357", Zone], new VerbContext(output, error, Sources(null, null)));
        Assert.Equal(2, code);
        Assert.Equal(["DnsblServer: unknown option '--bogus' (settings are --Dnsbl:Key=Value; see --help)"], Lines(error));
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task DumpWarnsOnAMisspeltKeyOnStandardError()
    {
        _dir.Write("bl", "192.0.2.1\n");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await VerbRegistry.RunAsync(["dump", "-w", _dir.Path, "--Dnsbl:DefaulTtl=1h", Zone], new VerbContext(output, error, Sources(null, null)));
        Assert.Equal(0, code);
        Assert.Contains("DnsblServer: warning: unknown key Dnsbl:DefaulTtl (ignored)", Lines(error));
        Assert.Contains("1.2.0.192\tA\t127.0.0.2", output.ToString());
    }

    [Fact]
    public void TheHelpListsEveryVerbOnce()
    {
        string help = VerbRegistry.Help();
        foreach (var verb in VerbRegistry.All) Assert.Single(help.Split('\n'), l => l.StartsWith($"  {verb.Name} ", StringComparison.Ordinal));
        Assert.Contains("version.bind answers \"DnsblServer\"", help);
    }

    private SettingsResult Read(string verb, string[] args, string? json, string? environment) =>
        VerbRegistry.All.Single(v => v.Name == verb).ReadSettings(args, Sources(json, environment));

    private SettingsSources Sources(string? json, string? environment) => new()
    {
        AppSettingsPath = json is null ? Path.Combine(_dir.Path, "none", "appsettings.json") : _dir.Write("appsettings.json", json),
        Environment = (environment?.Split(' ') ?? []).Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => (string?)e[1]),
    };

    private static string[] ArgsFor(Verb verb, string[] args) => verb.Name == "explain" ? ["bl.test", "192.0.2.1", .. args] : args;

    private static string[] Lines(StringWriter writer) => writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    // record equality compares the arrays by reference; compare what they hold (-d aside: serve -d is dump)
    private static string Describe(ServerSettings s) => string.Join('\n',
        (s with { Listen = [], Zones = [], Exempt = [], Dump = false }).ToString(),
        string.Join(',', s.Listen),
        string.Join(';', s.Zones.Select(z => $"{z.Name}:{z.Type}:{string.Join(',', z.Files)}")),
        string.Join(';', s.Exempt.Select(e => $"{e.Name}:{string.Join(',', e.Files)}:{string.Join(',', e.Zones)}")));
}
