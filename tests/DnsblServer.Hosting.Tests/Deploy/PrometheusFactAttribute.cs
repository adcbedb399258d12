using DnsblServer.Hosting.Tests.Metrics;

namespace DnsblServer.Hosting.Tests.Deploy;

/// <summary>
/// A fact that needs the Prometheus server (Debian package <c>prometheus</c>): skipped without it,
/// except under CI, where it runs and fails (as <see cref="PromtoolFactAttribute"/>).
/// </summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    /// <summary>Skips the test when the prometheus binary is missing outside CI.</summary>
    public PrometheusFactAttribute()
    {
        if (Path is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "prometheus not found on PATH (apt-get install --no-install-recommends prometheus); required when CI is set";
        }
    }

    /// <summary>The prometheus binary's full path, or null.</summary>
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => System.IO.Path.Combine(dir, "prometheus"))
        .FirstOrDefault(File.Exists);
}
