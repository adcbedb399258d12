namespace DnsblServer.Hosting.Configuration;

/// <summary>Where queries are logged (rbldnsd <c>-l [+]file</c>).</summary>
/// <param name="Path">File path, or <c>-</c> for standard output. Relative paths are relative to the working directory.</param>
/// <param name="Unbuffered">True when the option was prefixed with <c>+</c>: flush after every line.</param>
public sealed record QueryLogTarget(string Path, bool Unbuffered)
{
    /// <summary>True when the log goes to standard output (<c>-l -</c> or <c>-l +-</c>); it is then not reopened on SIGHUP.</summary>
    public bool IsStandardOutput => Path == "-";

    /// <inheritdoc />
    public override string ToString() => (Unbuffered ? "+" : "") + Path;
}
