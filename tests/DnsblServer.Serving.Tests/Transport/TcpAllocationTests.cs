using System.Buffers.Binary;
using System.Net.Sockets;
using static DnsblServer.Serving.Tests.Transport.TestClient;

namespace DnsblServer.Serving.Tests.Transport;

/// <summary>Not run in parallel with anything: it counts every allocation in the process.</summary>
[CollectionDefinition(nameof(TcpAllocationTests), DisableParallelization = true)]
public sealed class TcpAllocationCollection;

/// <summary>An established TCP connection answers without allocating.</summary>
[Collection(nameof(TcpAllocationTests))]
public sealed class TcpAllocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // behind a trusted proxy: the PROXY v2 header was read once, at the start
    public void EstablishedConnection_AllocatesNothingPerQuery(bool proxied)
    {
        using var server = TcpServerTests.Start(new EchoProcessor(), trustedProxy: proxied ? "127.0.0.1/32" : null);
        using var client = TcpClient(server.LocalEndpoints[0]);
        if (proxied) client.Send(ProxyHeaders.Proxy("198.51.100.7", transport: 1));
        byte[] frame = Frame(Query(9));
        var answer = new byte[frame.Length];

        void RoundTrips(int count)
        {
            for (int i = 0; i < count; i++)
            {
                client.Send(frame);
                int read = 0;
                while (read < answer.Length)
                    read += client.Receive(answer, read, answer.Length - read, SocketFlags.None);
            }
        }

        RoundTrips(2_000);   // warm: timers, the state machine box, pooled buffers, the thread's scratch
        long least = long.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            RoundTrips(1_000);
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.Equal(9, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(2)));
        // Process-wide (the server's continuations hop threads), hence alone in its collection; a per-query
        // allocation would show as 1,000 x its size (the old send helper's state machine: 72,000).
        Assert.True(least < 1_000, $"{least} bytes allocated over 1,000 queries");
    }
}
