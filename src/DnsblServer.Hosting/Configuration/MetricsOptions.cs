namespace DnsblServer.Hosting.Configuration;

/// <summary><c>Dnsbl:Metrics</c>: the Prometheus and health listener (HTTP), which rbldnsd does not have.</summary>
public sealed class MetricsOptions : IOptionsSection
{
    /// <summary>
    /// Address and port of the HTTP listener serving <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>:
    /// <c>127.0.0.1:9153</c>, <c>127.0.0.1/9153</c>, <c>[::1]:9153</c>; <c>0.0.0.0</c> or <c>[::]</c> listen on every address.
    /// </summary>
    /// <remarks>Defaults to <c>null</c>: no listener (the endpoints expose zone names and load errors, so they are opt-in).</remarks>
    public string? Listen { get; set; }
}
