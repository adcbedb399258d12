using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Hosting.Tests.Metrics;

/// <summary>HTTP against a server's metrics listener, and the Prometheus text format read back into samples.</summary>
internal static class MetricsScrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>GET http://127.0.0.1:port/path, retried while the listener is still starting.</summary>
    public static (HttpStatusCode Status, string Body) Get(int port, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = Http.GetAsync($"http://127.0.0.1:{port}{path}").GetAwaiter().GetResult();
                return (response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The samples of a scrape: <c>name{labels}</c> exactly as written, to its value.</summary>
    public static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            int space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return samples;
    }
}
