namespace DnsblServer.Zones.Datasets.Generic;

/// <summary>
/// One record of a generic dataset, ready for the wire: its type, its TTL (captured at its line,
/// clamped), and its RDATA. A: 4 bytes. TXT: one length-prefixed character-string (at most 255 bytes).
/// MX: 2-byte preference + the target in uncompressed wire form, root byte included (rbldnsd copies
/// it as written: absolute, case kept).
/// </summary>
public readonly struct GenericRecord
{
    private readonly byte[] _rdata;

    internal GenericRecord(ushort type, uint ttl, byte[] rdata)
    {
        Type = type;
        Ttl = ttl;
        _rdata = rdata;
    }

    /// <summary>The DNS type: <see cref="GenericDataset.TypeA"/>, <see cref="GenericDataset.TypeMx"/> or <see cref="GenericDataset.TypeTxt"/>.</summary>
    public ushort Type { get; }

    /// <summary>The record's TTL in seconds.</summary>
    public uint Ttl { get; }

    /// <summary>The RDATA bytes.</summary>
    public ReadOnlySpan<byte> Rdata => _rdata;

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        GenericDataset.TypeA => $"{Ttl} A {_rdata[0]}.{_rdata[1]}.{_rdata[2]}.{_rdata[3]}",
        GenericDataset.TypeTxt => $"{Ttl} TXT \"{System.Text.Encoding.Latin1.GetString(_rdata, 1, _rdata[0])}\"",
        GenericDataset.TypeMx => $"{Ttl} MX {(_rdata[0] << 8) | _rdata[1]} {MxTarget()}",
        _ => $"{Ttl} TYPE{Type}",
    };

    private string MxTarget()
    {
        Span<byte> text = stackalloc byte[Dns.DnsNameText.MaxTextLength];
        var wire = Rdata[2..^1]; // without the root byte
        return System.Text.Encoding.Latin1.GetString(text[..Dns.DnsNameText.Format(wire, text)]) + (wire.IsEmpty ? "" : ".");
    }
}
