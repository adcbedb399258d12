using DnsblServer.Zones.Journal;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// POST /v1/entries (add) and DELETE /v1/entries (remove) one address or CIDR of an IPv4/IPv6
/// dataset: journaled (fsync'd), then served through the dataset's overlay at once, without a rebuild.
/// DELETE with <c>"revert": true</c> forgets the prefix's pushed change instead (the file answers again).
/// GET /v1/entries?file=FILE lists a dataset's pushed changes.
/// </summary>
internal sealed partial class AdminApi
{
    private async Task<(int, object)> ChangeEntryAsync(HttpRequest request)
    {
        bool isAdd = HttpMethods.IsPost(request.Method);
        using var body = new MemoryStream();
        if (!await TryCopyBodyAsync(request, body, options.MaxRequestBytes).ConfigureAwait(false))
        {
            return Error(413, $"body larger than Dnsbl:Admin:MaxRequestBytes ({options.MaxRequestBytes})");
        }
        if (!EntryRequest.TryParse(body.ToArray(), out var parsed, out string? bodyError)) return Error(400, bodyError);
        var (file, dataset, entry, value, revert) = parsed;
        if (entry is null) return Error(400, "missing \"entry\" (an address or CIDR)");
        var (journal, problem) = FindJournal(file, dataset);
        if (journal is null) return problem;
        if (journal.Fault is not null) return Error(409, $"journal unusable: {journal.Fault}; pushes to {journal.DatasetKey} are refused until it is fixed (then restart)");
        if (revert && isAdd) return Error(400, "\"revert\" goes with DELETE");
        if (!JournalChange.TryCreate(isAdd, entry, value, out var change, out string? error)) return Error(400, error);
        if (revert) change = change.AsRevert();
        if (change.IsIPv6 != journal.IsIPv6)
        {
            return Error(400, $"{(change.IsIPv6 ? "an IPv6" : "an IPv4")} entry does not fit {journal.Type} dataset {journal.DatasetKey}");
        }

        var pushed = loading.Pushed!;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            loading.PublishChange(processor, () => pushed.Append(journal, change));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(journal.Path))!;
            return Error(500, (e is UnauthorizedAccessException || e.Message.Contains("Read-only", StringComparison.Ordinal)
                ? $"journal directory is read-only: {directory} (set Dnsbl:Admin:StateDirectory to a writable directory)"
                : $"cannot write the journal {journal.Path}") + ": " + e.Message);
        }
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        AdminLog.EntryChanged(logger, journal.DatasetKey, change.ToLine());
        var described = pushed.Describe(journal.DatasetKey);
        return (200, new EntryChangeBody(
            Dataset: journal.DatasetKey,
            Change: change.ToLine(),
            JournalChanges: described?.Changes ?? 0,
            JournalBytes: described?.Bytes ?? 0,
            PublishedInSeconds: elapsed.TotalSeconds));
    }

    private (int, object) ListEntries(string? file, string? dataset)
    {
        var (journal, problem) = FindJournal(file, dataset);
        if (journal is null) return problem;
        return (200, new EntryListBody(journal.DatasetKey, journal.Path, loading.Pushed!.Lines(journal)));
    }

    private (EntryJournal? Journal, (int, object) Problem) FindJournal(string? file, string? dataset)
    {
        if (IsBadName(file) || IsBadName(dataset)) return (null, Error(400, "a file or dataset name with a control character"));
        string? key = dataset;
        if (key is null)
        {
            if (file is null) return (null, Error(400, "missing \"file\" (a dataset file as configured) or \"dataset\" (type:files)"));
            var owners = DatasetsOf(file).Where(o => PushedEntries.Supports(o.Type)).ToList();
            if (owners.Count == 0) return (null, Error(404, $"'{file}' is not a file of a configured {PushedEntries.SupportedTypes} dataset"));
            if (owners.Count > 1) return (null, Error(409, $"'{file}' belongs to several datasets; name one as \"dataset\": {string.Join(", ", owners.Select(o => o.Key))}"));
            key = owners[0].Key;
        }
        return loading.Pushed?.Journal(key) is { } journal
            ? (journal, default)
            : (null, Error(404, $"'{key}' is not a configured {PushedEntries.SupportedTypes} dataset"));
    }
}
