using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using DnsblServer.Hosting.Tests.EndToEnd;
using DnsblServer.Hosting.Tests.Metrics;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Deploy;

/// <summary>
/// The alert rules against a real Prometheus that scrapes a real server with the configuration the
/// README shows (deploy/prometheus/prometheus.yml): the <c>up</c> selector of DnsblServerDown must
/// match that scrape, or the alert can never fire (it once selected job "dnsblserver" while the
/// README named the job "dnsbl").
/// </summary>
public sealed partial class AlertRulesScrapeTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ZoneDirectory _dir = new();
    private Process? _prometheus;

    public void Dispose()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill();
            _prometheus.WaitForExit(5000);
        }
        _prometheus?.Dispose();
        _dir.Dispose();
    }

    [GeneratedRegex(@"job_name:\s*(\S+)")]
    private static partial Regex JobName();

    [Fact]
    public void EveryScrapeExampleNamesTheJobTheRulesSelect()
    {
        string root = DeployArtifactsTests.Root;
        string rules = File.ReadAllText(Path.Combine(root, "deploy/prometheus/alerts.yml"));
        string selected = Regex.Match(rules, @"up\{job=""([^""]+)""\}").Groups[1].Value;
        Assert.Equal("dnsblserver", selected);
        foreach (string file in new[] { "README.md", "deploy/README.md", "deploy/prometheus/prometheus.yml" })
        {
            foreach (Match match in JobName().Matches(File.ReadAllText(Path.Combine(root, file))))
            {
                Assert.True(match.Groups[1].Value == selected, $"{file}: job_name {match.Groups[1].Value}, the rules select {selected}");
            }
        }
        // the ServiceMonitor takes the job from the Service's app.kubernetes.io/name label
        string monitor = File.ReadAllText(Path.Combine(root, "deploy/kubernetes/servicemonitor.yaml"));
        Assert.Contains("jobLabel: app.kubernetes.io/name", monitor);
        Assert.Contains($"app.kubernetes.io/name: {selected}", monitor);
    }

    [PrometheusFact]
    public void DnsblServerDownGoesPendingWhenTheScrapedServerStops()
    {
        string root = DeployArtifactsTests.Root;
        _dir.Write("bl", "192.0.2.1\n");
        int metricsPort = FreePorts.Tcp();
        using var server = ServerProcess.Start(["-n", "-w", _dir.Path, $"--Dnsbl:Metrics:Listen=127.0.0.1:{metricsPort}", "bl.test:ip4set:bl"]);
        {
            // the shipped configuration, with this test's port and a fast scrape
            string config = File.ReadAllText(Path.Combine(root, "deploy/prometheus/prometheus.yml"))
                .Replace("127.0.0.1:9153", $"127.0.0.1:{metricsPort}")
                .Replace("scrape_interval: 15s", "scrape_interval: 1s")
                .Replace("evaluation_interval: 15s", "evaluation_interval: 1s");
            Assert.Contains($"127.0.0.1:{metricsPort}", config);
            File.Copy(Path.Combine(root, "deploy/prometheus/alerts.yml"), Path.Combine(_dir.Path, "alerts.yml"));
            string configPath = Path.Combine(_dir.Path, "prometheus.yml");
            File.WriteAllText(configPath, config);
            int webPort = FreePorts.Tcp();
            var info = new ProcessStartInfo(PrometheusFactAttribute.Path!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("--config.file=" + configPath);
            info.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(_dir.Path, "tsdb"));
            info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{webPort}");
            _prometheus = Process.Start(info)!;
            _prometheus.BeginOutputReadLine();
            _prometheus.BeginErrorReadLine();

            Eventually(() => Query(webPort, "up{job=\"dnsblserver\"} == 1") > 0, "the server scraped as job dnsblserver");
            server.Signal(9); // gone, as a crash would leave it
            Assert.True(server.WaitForExit(TimeSpan.FromSeconds(10)));
            Eventually(() => PendingOrFiring(webPort, "DnsblServerDown"), "DnsblServerDown pending after the server stopped");
        }
    }

    private static int Query(int port, string expr)
    {
        try
        {
            string body = Http.GetStringAsync($"http://127.0.0.1:{port}/api/v1/query?query={Uri.EscapeDataString(expr)}").GetAwaiter().GetResult();
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("data").GetProperty("result").GetArrayLength();
        }
        catch (HttpRequestException)
        {
            return 0; // Prometheus still starting
        }
    }

    private static bool PendingOrFiring(int port, string alert)
    {
        try
        {
            string body = Http.GetStringAsync($"http://127.0.0.1:{port}/api/v1/alerts").GetAwaiter().GetResult();
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray()
                .Any(a => a.GetProperty("labels").GetProperty("alertname").GetString() == alert);
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (condition()) return;
            Thread.Sleep(250);
        }
        Assert.Fail("timed out waiting for: " + what);
    }
}
