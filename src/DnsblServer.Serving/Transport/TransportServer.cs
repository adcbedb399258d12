using System.Net;

namespace DnsblServer.Serving.Transport;

/// <summary>
/// UDP and (unless <see cref="TransportOptions.EnableTcp"/> is off) TCP on the same endpoints:
/// the one object Hosting starts and stops. UDP binds first, so a port of 0 resolves once and
/// TCP listens on the same port.
/// </summary>
public sealed class TransportServer : IDisposable
{
    private readonly TransportOptions _options;

    /// <summary>Creates the servers; nothing is bound until <see cref="Start"/>.</summary>
    public TransportServer(IQueryProcessor processor, TransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Udp = new UdpServer(processor, options);
        Tcp = options.EnableTcp ? new TcpServer(processor, options) : null;
    }

    /// <summary>The UDP side.</summary>
    public UdpServer Udp { get; }

    /// <summary>The TCP side, or <see langword="null"/> when <see cref="TransportOptions.EnableTcp"/> is off.</summary>
    public TcpServer? Tcp { get; }

    /// <summary>The bound endpoints (ports resolved), shared by UDP and TCP. Empty before <see cref="Start"/>.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndpoints => Udp.LocalEndpoints;

    /// <summary>Binds UDP then TCP; if TCP cannot bind, UDP is stopped again and the error rethrown.</summary>
    public void Start()
    {
        _options.Validate();
        Udp.Start();
        try
        {
            Tcp?.Start(Udp.LocalEndpoints);
        }
        catch
        {
            Udp.Stop();
            throw;
        }
    }

    /// <summary>Stops TCP and UDP; returns within a few seconds at worst.</summary>
    public void Stop()
    {
        Tcp?.Stop();
        Udp.Stop();
    }

    /// <summary>UDP and TCP counters summed.</summary>
    public TransportCounters Snapshot() => Tcp is null ? Udp.Snapshot() : Udp.Snapshot() + Tcp.Snapshot();

    /// <summary>Same as <see cref="Stop"/>.</summary>
    public void Dispose() => Stop();
}
