using DnsblServer.Hosting.Admin;
using DnsblServer.Zones.Journal;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// The body of POST/DELETE /v1/entries as the admin API reads it (<see cref="EntryRequest.TryParse"/>; a bad body is a
/// 400, not an exception), then its entry and value validated as an add and as a remove. Checks: an accepted change
/// writes a journal line that parses back to the same line, so what the API accepts a restart replays.
/// (PUT /v1/files bodies are zone files, validated by the dataset loader: the dataset targets cover them.)
/// </summary>
internal sealed class AdminEntryTarget : IFuzzTarget
{
    public string Name => "admin-entries";

    public void FuzzTarget(ReadOnlySpan<byte> bytes)
    {
        if (!EntryRequest.TryParse(bytes.ToArray(), out var request, out _) || request.Entry is null) return;
        foreach (bool isAdd in (bool[])[true, false])
        {
            if (!JournalReplay.TryCreate(isAdd, request.Entry, request.Value, out string? line, out _)) continue;
            if (!JournalReplay.TryParseLine(line!, out string? again, out string? error) || again != line)
            {
                throw new InvalidOperationException($"accepted entry writes journal line '{line}', which replays as {again ?? error}");
            }
        }
    }
}
