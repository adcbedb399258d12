using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets.Ip6;

/// <summary>What ip6trie and ip6tset lines share around the key.</summary>
internal static class Ip6Syntax
{
    /// <summary>The "!" prefix: true when present, moving <paramref name="pos"/> past it and its blanks.</summary>
    public static bool ReadExclusion(ReadOnlySpan<byte> line, ref int pos)
    {
        if (line[pos] != '!') return false;
        pos = Syntax.SkipSpace(line, pos + 1);
        return true;
    }

    /// <summary>True when the key ended where an entry may end: end, blank, comment or <c>:</c> (the value follows without a blank).</summary>
    public static bool KeyEnded(ReadOnlySpan<byte> line, int pos) => Syntax.IsKeyEnd(line, pos) || line[pos] == ':';
}
