namespace DnsblServer.Serving.Resolving;

/// <summary>How the resolver answers where rbldnsd leaves a choice (its command-line options) or where we improve on it.</summary>
public sealed record ResolverOptions
{
    /// <summary>Leave the NS records out of the AUTHORITY section of positive answers (rbldnsd -a). Defaults to false (rbldnsd -A).</summary>
    public bool LazyNs { get; init; }

    /// <summary>
    /// Text of the <c>version.bind</c>/<c>version.server</c> CH TXT answer; null to refuse it (rbldnsd -v -v).
    /// Defaults to "DnsblServer" and the version.
    /// </summary>
    public string? VersionText { get; init; } = DefaultVersionText;

    /// <summary>Our EDNS UDP payload size, the largest UDP answer we send (RFC 6891; DNS flag day 2020). Defaults to 1232.</summary>
    public ushort EdnsPayloadSize { get; init; } = 1232;

    /// <summary>
    /// Answer NOERROR/NODATA instead of NXDOMAIN for a partial reversed name with entries beneath it,
    /// such as <c>0.0.127.zone</c> when 127.0.0.2 is listed (RFC 8020). Defaults to true.
    /// </summary>
    public bool EmptyNonTerminals { get; init; } = true;

    /// <summary>"DnsblServer" and the assembly's version.</summary>
    public static string DefaultVersionText { get; } =
        "DnsblServer " + (typeof(ResolverOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
