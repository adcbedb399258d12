namespace DnsblServer.Hosting.Tests.Metrics;

/// <summary>
/// Where a Debian tool a test needs is, and the skip reason when it is missing: skipped outside CI,
/// run (and failing) under CI (the <c>CI</c> environment variable, as <c>.ci/run</c> sets), so a
/// missing tool never passes silently.
/// </summary>
internal static class ToolFact
{
    /// <summary>The tool's full path on PATH, or null.</summary>
    public static string? Find(string tool) => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, tool))
        .FirstOrDefault(File.Exists);

    /// <summary>The skip reason for a test that needs <paramref name="tool"/> at <paramref name="path"/>; null to run it.</summary>
    public static string? SkipReason(string tool, string? path) =>
        path is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? $"{tool} not found on PATH (apt-get install --no-install-recommends {tool}); required when CI is set"
            : null;
}
