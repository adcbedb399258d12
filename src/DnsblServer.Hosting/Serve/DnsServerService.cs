using DnsblServer.Serving.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DnsblServer.Hosting.Serve;

/// <summary>
/// Runs the UDP and TCP listeners for the host's lifetime. The serve verb binds them before the host starts
/// (<see cref="TransportServer.Start"/>), so an address in use is one line and exit 1 rather than the host's
/// "failed to start" with a stack; this service says where it listens and closes them at the end.
/// </summary>
internal sealed class DnsServerService(TransportServer transport, int zoneCount, int loops, int configuredTcpConnections, ILogger<DnsServerService> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport.Tcp is { } started && started.MaxConnections < configuredTcpConnections)
        {
            Log.TcpCapLowered(logger, configuredTcpConnections, started.MaxConnections, started.DescriptorLimit ?? 0);
        }
        foreach (var endpoint in transport.LocalEndpoints)
        {
            Log.Listening(logger, FormatEndpoint(endpoint), transport.Tcp is null ? "" : "+TCP");
        }
        Log.Started(logger, zoneCount, loops);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        transport.Stop();
        return Task.CompletedTask;
    }

    private static string FormatEndpoint(System.Net.IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]/{endpoint.Port}" : $"{endpoint.Address}/{endpoint.Port}";
}
