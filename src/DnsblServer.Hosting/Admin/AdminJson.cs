using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DnsblServer.Hosting.Admin;

// The admin API's response bodies as named types, serialized by the source-generated DnsblJsonContext: the
// published server is Native AOT, where reflection-based JsonSerializer (and so anonymous types) does not work.
// Properties are PascalCase here and camelCase on the wire; null properties are left out.
// A new body type goes here and into DnsblJsonContext's [JsonSerializable] list (AdminApi.WriteAsync throws
// NotSupportedException for a type the context does not know, in every build, so a test of the endpoint shows it).

internal sealed record ErrorBody(string Error, string? Dataset = null, IReadOnlyList<UploadProblem>? Details = null);

internal sealed record StatusBody(DateTimeOffset ZoneSetBuiltAt, LastLoadBody? LastLoad, StalledBody? StalledLoad,
    IEnumerable<ZoneBody> Zones, IEnumerable<DatasetBody> Datasets);

internal sealed record StalledBody(string Dataset, DateTimeOffset Since, double Seconds);

internal sealed record ZoneBody(string Name, bool Loaded, uint Serial, DateTimeOffset? Expires, IEnumerable<string> Datasets, IEnumerable<string> Exempt);

internal sealed record DatasetBody(string Key, string Type, IReadOnlyList<string> Files, bool Loaded, long Entries, long SizeBytes,
    uint? Serial, DateTimeOffset? Stamp, DateTimeOffset? LoadedAt, DateTimeOffset? LastAttemptAt, double LastDurationSeconds,
    DiagnosticBody? LastError, long FailureCount, long RefusedCount, int WarningCount, JournalBody? Journal);

internal sealed record JournalBody(string Path, int Changes, long Bytes);

internal sealed record LastLoadBody(DateTimeOffset? At, bool Succeeded, int DatasetsRead, int Failed, IEnumerable<LoadReportBody> Reports);

internal sealed record LoadReportBody(string Key, DiagnosticBody? Error, int WarningCount, IEnumerable<string> Warnings, double Seconds);

internal sealed record DiagnosticBody(string File, int Line, string Message, string Kind, string Text);

internal sealed record ReloadBody(bool Reloaded, LastLoadBody? LastLoad);

internal sealed record UploadProblem(string Dataset, DiagnosticBody? Error, int WarningCount, IEnumerable<DiagnosticBody?> Warnings);

internal sealed record UploadBody(string File, long Bytes, double WaitedSeconds, IEnumerable<UploadedDataset?> Datasets);

internal sealed record UploadedDataset(string Dataset, long Entries, int WarningCount, IEnumerable<string> Warnings, DateTimeOffset? LoadedAt, DiagnosticBody? Error);

internal sealed record EntryChangeBody(string Dataset, string Change, int JournalChanges, long JournalBytes, double PublishedInSeconds);

internal sealed record EntryListBody(string Dataset, string Journal, string[] Changes);

/// <summary>Source-generated JSON metadata for every admin API body (AOT-safe; no reflection at run time).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(StatusBody))]
[JsonSerializable(typeof(ReloadBody))]
[JsonSerializable(typeof(UploadBody))]
[JsonSerializable(typeof(EntryChangeBody))]
[JsonSerializable(typeof(EntryListBody))]
internal sealed partial class DnsblJsonContext : JsonSerializerContext
{
    /// <summary>The context the admin API writes with: the attributes' options, plus JSON for curl and scripts (never embedded in HTML).</summary>
    public static DnsblJsonContext Admin { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
