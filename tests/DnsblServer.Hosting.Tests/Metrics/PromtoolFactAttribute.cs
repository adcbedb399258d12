namespace DnsblServer.Hosting.Tests.Metrics;

/// <summary>A fact that needs Prometheus's promtool (Debian package <c>prometheus</c>); see <see cref="ToolFact"/>.</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    /// <summary>Skips the test when promtool is missing outside CI.</summary>
    public PromtoolFactAttribute() => Skip = ToolFact.SkipReason("promtool", Path);

    /// <summary>promtool's full path, or null.</summary>
    public static string? Path { get; } = ToolFact.Find("promtool");
}
