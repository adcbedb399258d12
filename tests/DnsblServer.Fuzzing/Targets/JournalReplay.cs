using DnsblServer.Zones.Journal;
using DnsblServer.Zones.Datasets.Overlay;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// The only file that knows where the entry journal lives (Zones/Journal): a move of <c>EntryJournal</c> and
/// <c>JournalChange</c> changes the <c>using</c> above and nothing else.
/// </summary>
internal static class JournalReplay
{
    /// <summary>Replays the journal file at <paramref name="path"/> for an IPv4 (ip4set) or IPv6 (ip6trie) dataset.</summary>
    /// <returns>The problems reported, the current changes as lines, and the change prefixes with the overlay built from them.</returns>
    public static (List<string> Problems, List<string> Lines, PrefixOverlay<uint>? Overlay4, PrefixOverlay<UInt128>? Overlay6,
        List<PrefixChange<uint>> Changes4, List<PrefixChange<UInt128>> Changes6) Replay(string path, bool ipv6)
    {
        string type = ipv6 ? "ip6trie" : "ip4set";
        var journal = new EntryJournal(type + ":fuzz", type, path);
        var problems = journal.Replay();
        return (problems, [.. journal.Changes.Select(c => c.ToLine())], journal.Overlay4, journal.Overlay6,
            [.. journal.Changes.Select(c => c.V4)], [.. journal.Changes.Select(c => c.V6)]);
    }

    /// <summary>Parses a journal line; on success gives it back as the journal would write it.</summary>
    public static bool TryParseLine(string line, out string? written, out string? error)
    {
        bool ok = JournalChange.TryParseLine(line, out var change, out error);
        written = change?.ToLine();
        return ok;
    }

    /// <summary>Validates an admin API entry as POST (add) or DELETE (remove) does; on success gives its journal line.</summary>
    public static bool TryCreate(bool isAdd, string entry, string? value, out string? line, out string? error)
    {
        bool ok = JournalChange.TryCreate(isAdd, entry, value, out var change, out error);
        line = change?.ToLine();
        return ok;
    }
}
