namespace DnsblServer.Zones.Values;

/// <summary>
/// One listing value: the A record (such as 127.0.0.2) and an optional TXT template.
/// Values are interned per dataset, so a million entries sharing the default value store it once.
/// </summary>
/// <param name="A">The A record in host order (127.0.0.2 = 0x7f000002).</param>
/// <param name="Txt">
/// The TXT template after load-time expansion of <c>$0</c>..<c>$9</c>, <c>$=</c> and <c>$$</c>
/// (see <see cref="TxtTemplate"/>): literal bytes, with a 0 byte wherever the queried address
/// (or, for dnset, the listed name) goes. Null when the entry has no TXT record.
/// </param>
public readonly record struct DnsblValue(uint A, byte[]? Txt)
{
    /// <summary>Renders the TXT text for a query into <paramref name="destination"/> (at least 254 bytes).</summary>
    /// <returns>The text length, 0 when there is no TXT record.</returns>
    public int RenderTxt(ReadOnlySpan<byte> substitution, Span<byte> destination) =>
        Txt is null ? 0 : TxtTemplate.Render(Txt, substitution, destination);
}
