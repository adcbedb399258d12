using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.Journal;
using Microsoft.AspNetCore.Http;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// PUT/POST /v1/files?path=FILE: replace a configured dataset file, validated first. A file that is a
/// symbolic link is written through to its final target (temporary file beside the target, renamed over
/// it), so the link, and whatever keeps the target up to date (an rsync mirror), stays in charge. Uploads
/// are validated and put in place one at a time: validating a large file takes a core, and several at
/// once took both.
/// </summary>
internal sealed partial class AdminApi
{
    /// <summary>How long an upload waits for the one before it to be validated and put in place.</summary>
    private static readonly TimeSpan UploadWait = TimeSpan.FromSeconds(120);

    private readonly SemaphoreSlim _uploadGate = new(1, 1);

    private async Task<(int, object)> UploadAsync(HttpRequest request)
    {
        string? name = request.Query["path"];
        if (string.IsNullOrEmpty(name)) return Error(400, "missing ?path=FILE (a dataset file as configured in a zone spec)");
        if (IsBadName(name)) return Error(400, "?path= holds a control character");
        var owners = DatasetsOf(name);
        if (owners.Count == 0) return Error(404, $"'{name}' is not a configured dataset file");
        string configured = owners[0].File;
        string target = FinalTarget(loading.Options.ResolvePath(configured));
        bool allowWarnings = (string?)request.Query["allowWarnings"] is "1" or "true";

        string temp = DurableFile.TempPathFor(target);
        bool gated = false;
        try
        {
            long size;
            FileStream created;
            try
            {
                created = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return NotWritable(Path.GetDirectoryName(temp)!, e);
            }
            await using (var stream = created)
            {
                if (!await TryCopyBodyAsync(request, stream, options.MaxUploadBytes).ConfigureAwait(false))
                {
                    return Error(413, $"body larger than Dnsbl:Admin:MaxUploadBytes ({options.MaxUploadBytes})");
                }
                stream.Flush(flushToDisk: true);
                size = stream.Length;
            }

            long queued = System.Diagnostics.Stopwatch.GetTimestamp();
            gated = await _uploadGate.WaitAsync(UploadWait, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var waited = System.Diagnostics.Stopwatch.GetElapsedTime(queued);
            if (!gated) return Error(503, $"another upload is still being validated after {UploadWait.TotalSeconds:0} s; try again later");

            // validate with the real loader of every dataset the file belongs to, the upload in the file's place
            var problems = new List<UploadProblem>();
            foreach (var (key, type, files, match) in owners)
            {
                var trial = DatasetLoader.Load(type, [.. files.Select(f => f == match ? temp : f)], loading.Options);
                if (trial.Error is not null || (trial.WarningCount > 0 && !allowWarnings))
                {
                    problems.Add(new UploadProblem(
                        Dataset: key,
                        Error: Rename(trial.Error, temp, configured),
                        WarningCount: trial.WarningCount,
                        Warnings: trial.Warnings.Select(w => Rename(w, temp, configured))));
                }
            }
            if (problems.Count > 0)
            {
                return Error(400, allowWarnings ? "the file does not load; nothing changed" : "the file does not load cleanly (add ?allowWarnings=true to accept warnings); nothing changed", problems);
            }

            var result = await Task.Run(() =>
            {
                DurableFile.Replace(temp, target);
                AdminLog.FileReplaced(logger, configured, size);
                return loading.Reload(processor);
            }).ConfigureAwait(false);
            var served = processor.Zones;
            return (200, new UploadBody(
                File: configured,
                Bytes: size,
                WaitedSeconds: waited.TotalSeconds, // behind other uploads' validation
                Datasets: owners.Select(o => served.Datasets.TryGetValue(o.Key, out var d) ? new UploadedDataset(
                    Dataset: o.Key,
                    Entries: d.Dataset?.EntryCount ?? 0,
                    WarningCount: d.WarningCount,
                    Warnings: result.Reports.FirstOrDefault(r => r.Key == o.Key)?.Warnings.Select(w => w.ToString()) ?? [],
                    LoadedAt: d.LoadedAt,
                    Error: Diagnostic(d.LastError)) : null)));
        }
        finally
        {
            if (gated) _uploadGate.Release();
            File.Delete(temp);
        }
    }

    /// <summary>The file a path finally names, following symbolic links (<paramref name="path"/> itself when it is none, or does not exist yet).</summary>
    private static string FinalTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target ? target.FullName : path;
        }
        catch (FileNotFoundException)
        {
            return path;
        }
    }

    /// <summary>The answer when the upload's temporary file cannot be created beside the target: which directory, and why.</summary>
    private static (int, object) NotWritable(string directory, Exception e) =>
        e is UnauthorizedAccessException || e.Message.Contains("Read-only file system", StringComparison.Ordinal)
            ? Error(500, $"zone directory is read-only: {directory} (uploads write a temporary file there and rename it over the file): {e.Message}")
            : Error(500, $"cannot write in the zone directory {directory}: {e.Message}");

    /// <summary>Datasets (zones and exempt lists) that name <paramref name="file"/>, matched as configured or by full path.</summary>
    private List<(string Key, string Type, IReadOnlyList<string> Files, string File)> DatasetsOf(string file)
    {
        string wanted = Path.GetFullPath(loading.Options.ResolvePath(file));
        var all = loading.Specs.Select(s => (s.DatasetKey, s.Type, (IReadOnlyList<string>)s.Files))
            .Concat(loading.Exempt.Select(e => (e.DatasetKey, DatasetLoader.ExemptType, e.Files)))
            .DistinctBy(d => d.Item1);
        var result = new List<(string, string, IReadOnlyList<string>, string)>();
        foreach (var (key, type, files) in all)
        {
            string? match = files.FirstOrDefault(f => f == file || Path.GetFullPath(loading.Options.ResolvePath(f)) == wanted);
            if (match is not null) result.Add((key, type, files, match));
        }
        return result;
    }

    private static DiagnosticBody? Rename(LoadDiagnostic? d, string temp, string configured) =>
        d is null ? null : Diagnostic(d with { File = d.File.Replace(temp, configured, StringComparison.Ordinal), Message = d.Message.Replace(temp, configured, StringComparison.Ordinal) });
}
