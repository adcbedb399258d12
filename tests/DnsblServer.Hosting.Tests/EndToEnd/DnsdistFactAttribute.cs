using DnsblServer.Hosting.Tests.Metrics;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>A fact that needs dnsdist and rsync (Debian packages <c>dnsdist</c>, <c>rsync</c>); see <see cref="ToolFact"/>.</summary>
public sealed class DnsdistFactAttribute : FactAttribute
{
    /// <summary>Skips the test when dnsdist or rsync is missing outside CI.</summary>
    public DnsdistFactAttribute() => Skip = ToolFact.SkipReason("dnsdist", Dnsdist) ?? ToolFact.SkipReason("rsync", Rsync);

    /// <summary>The dnsdist binary's full path, or null.</summary>
    public static string? Dnsdist { get; } = ToolFact.Find("dnsdist");

    /// <summary>The rsync binary's full path, or null.</summary>
    public static string? Rsync { get; } = ToolFact.Find("rsync");
}

/// <summary>A theory that needs dnsdist and rsync; skipped as <see cref="DnsdistFactAttribute"/> is.</summary>
public sealed class DnsdistTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test when dnsdist or rsync is missing outside CI.</summary>
    public DnsdistTheoryAttribute() => Skip = ToolFact.SkipReason("dnsdist", DnsdistFactAttribute.Dnsdist) ?? ToolFact.SkipReason("rsync", DnsdistFactAttribute.Rsync);
}
