namespace DnsblServer.Zones.Trie;

/// <summary>One parsed IPv4 entry before the build: a range, its rank, its value (or exclusion) and where it came from.</summary>
/// <param name="First">First address.</param>
/// <param name="Last">Last address.</param>
/// <param name="Rank">What decides between overlapping entries: the octet level (8/16/24/32) for ip4set, the prefix length for ip4trie.</param>
/// <param name="File">Index of the file in the dataset's file list.</param>
/// <param name="Value">Value id, or <see cref="Exclusion"/>.</param>
/// <param name="Line">Line number in that file (for duplicate warnings).</param>
internal readonly record struct Ip4Entry(uint First, uint Last, byte Rank, ushort File, int Value, int Line)
{
    /// <summary>The value of a <c>!</c> entry.</summary>
    public const int Exclusion = -1;
}
