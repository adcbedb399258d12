using DnsblServer.Hosting.Tests.Metrics;

namespace DnsblServer.Hosting.Tests.Deploy;

/// <summary>A fact that needs the Prometheus server (Debian package <c>prometheus</c>); see <see cref="ToolFact"/>.</summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    /// <summary>Skips the test when the prometheus binary is missing outside CI.</summary>
    public PrometheusFactAttribute() => Skip = ToolFact.SkipReason("prometheus", Path);

    /// <summary>The prometheus binary's full path, or null.</summary>
    public static string? Path { get; } = ToolFact.Find("prometheus");
}
