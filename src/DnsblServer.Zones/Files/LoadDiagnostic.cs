namespace DnsblServer.Zones.Files;

/// <summary>A problem found while loading: where (file and line; line 0 = the file as a whole) and why.</summary>
public sealed record LoadDiagnostic(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
