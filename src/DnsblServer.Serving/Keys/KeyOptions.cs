namespace DnsblServer.Serving.Keys;

/// <summary>How keyed zones answer queries they will not serve, and where usage is kept.</summary>
public sealed record KeyOptions
{
    /// <summary>A of the answer to an unknown or missing key, host order. Defaults to 127.255.255.254 (as Spamhaus DQS: a query it cannot attribute).</summary>
    public uint UnknownKeyAddress { get; init; } = 0x7FFFFFFE;

    /// <summary>TXT of the answer to an unknown or missing key. Defaults to "access key not known".</summary>
    public string UnknownKeyText { get; init; } = "access key not known";

    /// <summary>A of the answer to a key past its daily quota, host order. Defaults to 127.255.255.255 (as Spamhaus DQS: excessive queries).</summary>
    public uint OverQuotaAddress { get; init; } = 0x7FFFFFFF;

    /// <summary>TXT of the answer to a key past its daily quota. Defaults to "daily query quota of this access key exceeded".</summary>
    public string OverQuotaText { get; init; } = "daily query quota of this access key exceeded";

    /// <summary>TTL of both answers, short so that a key added or a new day is seen soon. Defaults to 60 seconds.</summary>
    public uint Ttl { get; init; } = 60;

    /// <summary>Directory for usage files and key journals; null = beside each keys file (<c>FILE.usage</c>, <c>FILE.journal</c>). Defaults to null.</summary>
    public string? StateDirectory { get; init; }
}
