namespace DnsblServer.Hosting.Configuration;

/// <summary>Where a statistics line is written every check interval (rbldnsd <c>-s [+]file</c>).</summary>
/// <param name="Path">File path. Relative paths are relative to the working directory.</param>
/// <param name="Relative">True when the option was prefixed with <c>+</c>: write deltas since the last line instead of absolute counters.</param>
public sealed record StatsFileTarget(string Path, bool Relative)
{
    /// <inheritdoc />
    public override string ToString() => (Relative ? "+" : "") + Path;
}
