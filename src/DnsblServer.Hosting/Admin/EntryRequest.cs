using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace DnsblServer.Hosting.Admin;

/// <summary>
/// The JSON body of POST and DELETE /v1/entries: <c>{"file": FILE | "dataset": KEY, "entry": ADDRESS[/BITS],
/// "value": ":127.0.0.2:TXT", "revert": true}</c>. Its own type so the fuzz harness parses bodies exactly as the API does.
/// </summary>
internal sealed record EntryRequest(string? File, string? Dataset, string? Entry, string? Value, bool Revert)
{
    /// <summary>Parses a body; false with the reason (for a 400) when it is not such an object.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out EntryRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            request = new EntryRequest(Text(root, "file"), Text(root, "dataset"), Text(root, "entry"), Text(root, "value"),
                root.TryGetProperty("revert", out var r) && r.ValueKind == JsonValueKind.True);
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            error = "expected a JSON object {\"file\": FILE, \"entry\": ADDRESS[/BITS], \"value\": \":127.0.0.2:TXT\"}: " + e.Message;
            return false;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null ? p.GetString() : null;
}
