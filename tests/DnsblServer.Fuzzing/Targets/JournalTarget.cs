
namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// Replay of a pushed-entries journal at startup: the input is the journal file, replayed for an IPv4 and for an IPv6
/// dataset. Replay reports bad lines and never throws for them. Checks: every change kept writes a line that parses
/// back to the same line; a torn last line is cut off so a second replay reports nothing and keeps the same changes;
/// the overlay built from the changes covers the first address of each change.
/// </summary>
internal sealed class JournalTarget : IFuzzTarget
{
    public string Name => "journal";

    public void FuzzTarget(ReadOnlySpan<byte> bytes)
    {
        foreach (bool ipv6 in (bool[])[false, true])
        {
            string path = ScratchFile.Write(bytes);
            var first = JournalReplay.Replay(path, ipv6);
            foreach (string line in first.Lines)
            {
                if (!JournalReplay.TryParseLine(line, out string? again, out string? error) || again != line)
                {
                    throw new InvalidOperationException($"journal line '{line}' does not round-trip: {again ?? error}");
                }
            }
            foreach (var c in first.Changes4)
            {
                if (!ipv6 && first.Overlay4?.TryFind(c.Address, out _) != true) throw new InvalidOperationException($"overlay misses {c.Address}/{c.Bits}");
            }
            foreach (var c in first.Changes6)
            {
                if (ipv6 && first.Overlay6?.TryFind(c.Address, out _) != true) throw new InvalidOperationException($"overlay misses {c.Address}/{c.Bits}");
            }
            // what the first replay left in the file (compacted if torn) replays cleanly to the same changes
            if (!File.Exists(path)) continue;
            var second = JournalReplay.Replay(path, ipv6);
            bool torn = bytes.Length > 0 && bytes[^1] != (byte)'\n';
            if (torn && (second.Problems.Count > 0 || !second.Lines.SequenceEqual(first.Lines)))
            {
                throw new InvalidOperationException($"a torn journal does not replay cleanly after the cut: {string.Join("; ", second.Problems)}");
            }
        }
    }
}
