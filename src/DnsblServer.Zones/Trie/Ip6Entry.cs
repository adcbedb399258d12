namespace DnsblServer.Zones.Trie;

/// <summary>
/// One parsed ip6trie prefix before the build: the network address (host bits already cleared) as
/// two halves, so the struct keeps 8-byte alignment (32 bytes, where a <see cref="UInt128"/> field
/// would pad it to 48), its length, its value (or exclusion) and where it came from.
/// </summary>
/// <param name="High">The top 64 bits of the network address.</param>
/// <param name="Low">The low 64 bits of the network address.</param>
/// <param name="Bits">Prefix length, 0 to 128.</param>
/// <param name="File">Index of the file in the dataset's file list.</param>
/// <param name="Value">Value id, or <see cref="Exclusion"/>.</param>
/// <param name="Line">Line number in that file (for duplicate warnings).</param>
internal readonly record struct Ip6Entry(ulong High, ulong Low, byte Bits, ushort File, int Value, int Line)
{
    /// <summary>The value of a <c>!</c> entry.</summary>
    public const int Exclusion = -1;

    /// <summary>The first address covered.</summary>
    public UInt128 First => new(High, Low);

    /// <summary>The last address covered.</summary>
    public UInt128 Last => First | ~Addressing.Ip6Text.Mask(Bits);
}
