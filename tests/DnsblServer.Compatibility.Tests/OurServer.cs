using System.Net;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Transport;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Compatibility.Tests;

/// <summary>Our resolver behind real UDP and TCP sockets on 127.0.0.1, serving rbldnsd-style zone specs from a directory.</summary>
internal sealed class OurServer : IDisposable
{
    private readonly TransportServer _transport;

    public OurServer(string directory, IEnumerable<string> specs, ResolverOptions? options = null, LoadOptions? loadOptions = null, DnsblServer.Serving.QueryLog.QueryLogWriter? queryLog = null)
    {
        var zoneSpecs = specs.Select(ZoneSpec.Parse).ToList();
        var load = ZoneSetLoader.Load(zoneSpecs, (loadOptions ?? new LoadOptions()) with { WorkingDirectory = directory });
        Processor = new QueryProcessor(options ?? new ResolverOptions(), load.ZoneSet) { AfterAnswer = new AfterAnswerStage(queryLog) };
        // port 0 gives UDP a free port, and TCP then binds the same number, which another process's TCP
        // socket may hold (seen in full parallel runs): try again with another port
        for (int attempt = 1; ; attempt++)
        {
            _transport = new TransportServer(Processor, new TransportOptions
            {
                Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
                UdpLoopsPerEndpoint = 1,
            });
            try
            {
                _transport.Start();
                break;
            }
            catch (InvalidOperationException e) when (attempt < 5 && e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                _transport.Dispose();
            }
        }
        Port = _transport.LocalEndpoints[0].Port;
    }

    public QueryProcessor Processor { get; }

    public int Port { get; }

    public RawDnsClient CreateClient() => new(Port);

    public void Dispose() => _transport.Dispose();
}
