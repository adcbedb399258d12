using System.Text.Json;
using System.Text.RegularExpressions;
using DnsblServer.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Tests.Deploy;

/// <summary>
/// The files under deploy/ that need no cluster to check: the Grafana dashboard and the alert rules
/// use only metrics the server exports, and the example configurations load with the real settings
/// loader. (promtool, systemd-analyze and the Kubernetes checks run in deploy/check.sh.)
/// </summary>
public sealed partial class DeployArtifactsTests
{
    /// <summary>The metrics the server exports (src/DnsblServer.Hosting/Metrics), plus Prometheus' own <c>up</c>.</summary>
    private static readonly HashSet<string> Exported =
    [
        "dnsbl_queries_total", "dnsbl_responses_total", "dnsbl_dropped_packets_total", "dnsbl_truncated_responses_total",
        "dnsbl_tcp_connections_open", "dnsbl_zone_loaded", "dnsbl_zone_serial", "dnsbl_dataset_entries",
        "dnsbl_dataset_last_success_timestamp_seconds", "dnsbl_dataset_load_failures_total", "dnsbl_dataset_last_load_failed",
        "dnsbl_dataset_load_duration_seconds", "dnsbl_dataset_load_refused_total", "dnsbl_load_stalled_total", "up",
    ];

    /// <summary>The repository root (the folder holding DnsblServer.sln).</summary>
    internal static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DnsblServer.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\bdnsbl_[a-z0-9_]+")]
    private static partial Regex AnyDnsblName();

    [Fact]
    public void DashboardIsValidJsonAndUsesOnlyExportedMetrics()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy/grafana/dnsblserver.json")));
        var panels = doc.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var expressions = panels
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(expressions);
        var used = expressions.SelectMany(e => AnyDnsblName().Matches(e).Select(m => m.Value)).ToHashSet();
        var unknown = used.Where(n => !Exported.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, "not exported: " + string.Join(", ", unknown));
        Assert.Contains(expressions, e => e.Contains("up{", StringComparison.Ordinal));
        // what the dashboard is for: each of these has a panel
        foreach (string needed in new[]
        {
            "dnsbl_queries_total", "dnsbl_responses_total", "dnsbl_dropped_packets_total", "dnsbl_truncated_responses_total",
            "dnsbl_tcp_connections_open", "dnsbl_dataset_entries", "dnsbl_dataset_last_success_timestamp_seconds", "dnsbl_dataset_load_failures_total",
        })
        {
            Assert.Contains(needed, used);
        }
    }

    [Fact]
    public void AlertRulesUseOnlyExportedMetrics()
    {
        string rules = File.ReadAllText(Path.Combine(Root, "deploy/prometheus/alerts.yml"));
        var names = AnyDnsblName().Matches(rules).Select(m => m.Value).ToHashSet();
        Assert.DoesNotContain(names, n => !Exported.Contains(n));
        Assert.Contains("up{job=", rules);
        foreach (string needed in new[] { "dnsbl_zone_loaded", "dnsbl_dataset_last_load_failed", "dnsbl_dataset_last_success_timestamp_seconds", "dnsbl_responses_total", "dnsbl_dropped_packets_total" })
        {
            Assert.Contains(needed, names);
        }
    }

    [Theory]
    [InlineData("deploy/systemd/appsettings.json")]
    [InlineData("deploy/docker/appsettings.json")]
    public void ExampleConfigurationsLoad(string file)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(Root, file)).Build();
        var result = ServerSettingsLoader.Load([], configuration);
        Assert.True(result.IsSuccess, string.Join('\n', result.Errors));
        Assert.All(result.Settings.Listen, e => Assert.Equal(53, e.Port));
        Assert.Equal("/var/lib/dnsbl", result.Settings.WorkingDirectory);
        Assert.Equal(2, result.Settings.Zones.Length);
        Assert.Single(result.Settings.Exempt);
        Assert.EndsWith(":9153", configuration["Dnsbl:Metrics:Listen"]);
        Assert.Equal((10, 2), (result.Settings.RateLimit.ResponsesPerSecond, result.Settings.RateLimit.Slip)); // a public mirror limits (README: Rate limiting)
    }
}
