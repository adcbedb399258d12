namespace DnsblServer.Hosting.Tests.Metrics;

/// <summary>
/// A fact that needs Prometheus's promtool (Debian package <c>prometheus</c>). Without it the test is
/// skipped with the reason, except under CI (the <c>CI</c> environment variable set, as <c>.ci/run</c>
/// does): there it runs and fails, so a missing tool never passes silently.
/// </summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (Path is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "promtool not found on PATH (apt-get install --no-install-recommends prometheus); required when CI is set";
        }
    }

    /// <summary>promtool's full path, or null.</summary>
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => System.IO.Path.Combine(dir, "promtool"))
        .FirstOrDefault(File.Exists);
}
