using System.Text;
using System.Text.Json;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Keys;
using Microsoft.AspNetCore.Http;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// GET /v1/keys (per keys dataset: each key's quota, today's count, last seen), POST /v1/keys (add a key or
/// change its quota) and DELETE /v1/keys (revoke one): journaled and fsync'd, then served at once by
/// republishing the zone set (the key tables are rebuilt around the same counters). JSON is written with
/// <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/>: no reflection.
/// </summary>
internal sealed partial class AdminApi
{
    private (int, object) ListKeys(string? file, string? dataset)
    {
        if (IsBadName(file) || IsBadName(dataset)) return Error(400, "a file or dataset name with a control character");
        var keyed = KeysDatasets().Where(d => (file is null || d.Files.Contains(file)) && (dataset is null || d.Key == dataset)).ToList();
        if (keyed.Count == 0) return Error(404, file is null && dataset is null ? "no keys dataset is configured" : "no keys dataset matches");
        long now = processor.Keys.UtcTicks(); // the clock the counts use: "day" and "today" cannot straddle midnight apart
        return (200, WriteJson(w =>
        {
            w.WriteString("day", new DateTime(now / TimeSpan.TicksPerDay * TimeSpan.TicksPerDay, DateTimeKind.Utc).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStartArray("datasets");
            foreach (var d in keyed)
            {
                w.WriteStartObject();
                w.WriteString("dataset", d.Key);
                w.WriteStartArray("zones");
                foreach (var zone in processor.Zones.Zones.Where(z => z.KeysDatasetKey == d.Key)) w.WriteStringValue(zone.Name);
                w.WriteEndArray();
                if (processor.Keys.Describe(d.Key) is { } state)
                {
                    if (state.Journal is not null) w.WriteString("journal", state.Journal);
                    if (state.Usage is not null) w.WriteString("usage", state.Usage);
                    w.WriteNumber("journalChanges", state.Changes);
                }
                w.WriteStartArray("keys");
                foreach (var usage in processor.Keys.Usage(d.Key, d.Dataset as KeysDataset))
                {
                    w.WriteStartObject();
                    w.WriteString("key", usage.Name);
                    w.WriteNumber("queriesPerDay", usage.QueriesPerDay);
                    w.WriteNumber("today", usage.Today);
                    if (usage.LastSeen == 0) w.WriteNull("lastSeen");
                    else w.WriteString("lastSeen", DateTimeOffset.FromUnixTimeSeconds(usage.LastSeen).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteBoolean("pushed", usage.Pushed);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    private async Task<(int, object)> ChangeKeyAsync(HttpRequest request)
    {
        bool isAdd = HttpMethods.IsPost(request.Method);
        using var body = new MemoryStream();
        if (!await TryCopyBodyAsync(request, body, options.MaxRequestBytes).ConfigureAwait(false))
        {
            return Error(413, $"body larger than Dnsbl:Admin:MaxRequestBytes ({options.MaxRequestBytes})");
        }
        string? file, dataset, key;
        long quota = 0;
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            var root = json.RootElement;
            file = Text(root, "file");
            dataset = Text(root, "dataset");
            key = Text(root, "key");
            if (root.TryGetProperty("queriesPerDay", out var q) && q.ValueKind != JsonValueKind.Null && (!q.TryGetInt64(out quota) || quota < 0))
            {
                return Error(400, "\"queriesPerDay\" must be a whole number, 0 or more (0 = unlimited)");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Error(400, "expected a JSON object {\"key\": KEY, \"queriesPerDay\": N, \"file\": FILE}: " + e.Message);
        }
        if (IsBadName(file) || IsBadName(dataset)) return Error(400, "a file or dataset name with a control character");
        if (key is null || !AccessKey.IsValid(Encoding.ASCII.GetBytes(key)) || key.Any(c => c > 127))
        {
            return Error(400, "\"key\" must be 1 to 63 letters, digits, '-' or '_'");
        }
        var keyed = KeysDatasets().Where(d => (file is null || d.Files.Contains(file)) && (dataset is null || d.Key == dataset)).ToList();
        if (keyed.Count == 0) return Error(404, "no keys dataset matches (name it by \"file\" or \"dataset\")");
        if (keyed.Count > 1) return Error(409, $"several keys datasets; name one as \"dataset\": {string.Join(", ", keyed.Select(d => d.Key))}");
        string datasetKey = keyed[0].Key;
        string name = AccessKey.Normalize(Encoding.ASCII.GetBytes(key));
        if (!isAdd && !processor.Keys.Usage(datasetKey, keyed[0].Dataset as KeysDataset).Any(u => u.Name == name))
        {
            return Error(404, $"'{name}' is not a key of {datasetKey}");
        }
        try
        {
            loading.PublishChange(processor, () => processor.Keys.Change(datasetKey, name, isAdd ? quota : null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AdminLog.RequestFailed(logger, request.Method, request.Path.Value ?? "/", "cannot write the key journal: " + e.Message, e); // the operator sees it too, not only the caller
            return Error(500, $"cannot write the key journal (set Dnsbl:Admin:StateDirectory to a writable directory): {e.Message}");
        }
        AdminLog.EntryChanged(logger, datasetKey, isAdd ? $"+ key {name} {quota}" : $"- key {name}");
        return (200, WriteJson(w =>
        {
            w.WriteString("dataset", datasetKey);
            w.WriteString("key", name);
            w.WriteString("change", isAdd ? "added" : "revoked");
            if (isAdd) w.WriteNumber("queriesPerDay", quota);
        }));
    }

    private IEnumerable<Zones.ZoneSets.ZoneDataset> KeysDatasets() =>
        processor.Zones.Datasets.Values.Where(d => DatasetTypes.KindOf(d.Type) == DatasetKind.Keys).OrderBy(d => d.Key, StringComparer.Ordinal);

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    // an object written with Utf8JsonWriter, handed to WriteAsync as bytes
    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
