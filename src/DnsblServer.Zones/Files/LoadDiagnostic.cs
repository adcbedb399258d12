namespace DnsblServer.Zones.Files;

/// <summary>A problem found while loading: where (file and line; line 0 = the file as a whole) and why.</summary>
public sealed record LoadDiagnostic(string File, int Line, string Message)
{
    /// <summary>What kind of problem: a failed load, or a good load refused by a guard. Defaults to <see cref="LoadDiagnosticKind.Failed"/>.</summary>
    public LoadDiagnosticKind Kind { get; init; }

    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>Tells failures apart so that they can be counted and shown separately.</summary>
public enum LoadDiagnosticKind
{
    /// <summary>The files could not be read or were not zone data (or a warning, for warnings).</summary>
    Failed,

    /// <summary>The files loaded, but the result would have dropped too many entries (<see cref="LoadOptions.MaxShrinkPercent"/>); the old data keeps serving.</summary>
    ShrinkRefused,
}
