using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets;

/// <summary>The outcome of loading one dataset: the dataset, or the error that stopped the load; warnings either way.</summary>
public sealed record DatasetLoadResult(Dataset? Dataset, LoadDiagnostic? Error, IReadOnlyList<LoadDiagnostic> Warnings, int WarningCount)
{
    /// <summary>True when the dataset loaded (possibly with warnings).</summary>
    public bool Succeeded => Dataset is not null;
}

/// <summary>
/// Loads a dataset (<c>type:file,file...</c>) from its files. Never throws for bad data: a bad line
/// is a warning naming file:line; an unreadable file, a file changed while read or a
/// <c>$TIMESTAMP</c> in the future fails the whole load, and the caller keeps serving what it had.
/// </summary>
public static class DatasetLoader
{
    /// <summary>The dataset types this build understands (the names of <see cref="DatasetTypes.All"/>).</summary>
    public static IReadOnlyList<string> Types { get; } = [.. DatasetTypes.All.Select(t => t.Name)];

    /// <summary>The type of exempt allow-lists (our own; not a zone dataset).</summary>
    public static string ExemptType => DatasetTypes.Exempt.Name;

    /// <summary>True for a known type name.</summary>
    public static bool IsKnownType(string type) => DatasetTypes.Find(type) is not null;

    /// <summary>Loads the files of one dataset.</summary>
    /// <param name="type">The dataset type.</param>
    /// <param name="files">Its files, in order.</param>
    /// <param name="options">Load settings.</param>
    /// <param name="tracer">Hears every IPv4 entry read, with file and line (the <c>explain</c> verb); null normally.</param>
    public static DatasetLoadResult Load(string type, IReadOnlyList<string> files, LoadOptions options, Action<EntryTrace>? tracer = null)
    {
        var context = new DatasetLoadContext(options);
        LineParser? parser = DatasetTypes.Find(type)?.CreateParser(tracer);
        if (parser is null)
        {
            var unknown = new LoadDiagnostic(string.Join(',', files), 0, $"unknown dataset type '{type}'");
            return new DatasetLoadResult(null, unknown, [], 0);
        }
        foreach (string file in files)
        {
            var error = ZoneFileReader.ReadFile(file, context, parser);
            if (error is not null) return new DatasetLoadResult(null, error, context.Warnings, context.WarningCount);
        }
        var dataset = parser.Finish(files, context);
        return new DatasetLoadResult(dataset, null, context.Warnings, context.WarningCount);
    }
}
