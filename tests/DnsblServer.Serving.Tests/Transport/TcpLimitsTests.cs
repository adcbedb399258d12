using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using DnsblServer.Serving.Transport;
using DnsblServer.Serving.Transport.Internal;
using static DnsblServer.Serving.Tests.Transport.TestClient;

namespace DnsblServer.Serving.Tests.Transport;

/// <summary>What hostile TCP clients cannot do: hold every slot, trickle a frame forever, pin memory.</summary>
public sealed class TcpLimitsTests
{
    [Fact]
    public void FrameFedOneByteAtATime_IsCutAtTheQueryDeadline()
    {
        // The idle timeout is far away: only the whole-query deadline (600 ms) can end this.
        using var server = TcpServerTests.Start(new EchoProcessor(), idleMs: 20_000, queryMs: 600);
        using var client = TcpClient(server.LocalEndpoints[0]);
        byte[] frame = Frame(Query(7));
        var watch = Stopwatch.StartNew();
        bool cut = false;
        for (int i = 0; i < frame.Length - 1 && !cut; i++)
        {
            try
            {
                client.Send(frame.AsSpan(i, 1));
            }
            catch (SocketException)
            {
                cut = true;
            }

            Thread.Sleep(100);
            cut |= client.Poll(0, SelectMode.SelectRead);   // readable with nothing sent back: closed
        }

        Assert.True(cut || ServerCloses(client), "a trickled frame outlived the query deadline");
        Assert.InRange(watch.ElapsedMilliseconds, 500, 4_000);
        Assert.True(Eventually(() => server.Snapshot() is { TcpQueryDeadlines: 1, TcpTimeouts: 0, TcpConnectionsOpen: 0 }));
    }

    [Fact]
    public void SlowlorisConnections_DoNotKeepAFreshClientOut()
    {
        const int cap = 8;
        using var server = TcpServerTests.Start(new EchoProcessor(), maxConnections: cap, queryMs: 60_000);
        var endpoint = server.LocalEndpoints[0];
        var slow = new List<Socket>();
        try
        {
            // Twice the cap, each with a 65,535-byte prefix and then one byte at a time.
            for (int i = 0; i < 2 * cap; i++)
            {
                var socket = TcpClient(endpoint);
                slow.Add(socket);
                socket.Send([0xFF, 0xFF]);
            }

            for (int round = 0; round < 3; round++)
            {
                Thread.Sleep(100);
                foreach (var socket in slow)
                {
                    try { socket.Send([0x00]); } catch (SocketException) { }   // evicted ones fail; fine
                }

                using var fresh = TcpClient(endpoint);
                fresh.Send(Frame(Query((ushort)(100 + round))));
                Assert.Equal(100 + round, Id(ReadFrame(fresh)));
            }

            var counters = server.Snapshot();
            Assert.True(counters.TcpEvicted >= cap, $"evicted {counters.TcpEvicted}");
            Assert.InRange(counters.TcpConnectionsOpen, 0, cap);
        }
        finally
        {
            foreach (var socket in slow)
                socket.Dispose();
        }
    }

    [Fact]
    public void IdleConnections_HoldNoBuffer()
    {
        using var server = TcpServerTests.Start(new EchoProcessor(), maxConnections: 64);
        var endpoint = server.LocalEndpoints[0];
        var clients = Enumerable.Range(0, 20).Select(_ => TcpClient(endpoint)).ToList();
        try
        {
            foreach (var client in clients)
            {
                client.Send(Frame(Query(1)));
                Assert.NotNull(ReadFrame(client));
            }

            Assert.True(Eventually(() => server.BuffersRented == 0), $"{server.BuffersRented} buffers held by idle connections");
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    [Theory]
    [InlineData(1024L, 140, 378)]
    [InlineData(4096L, 140, 1914)]
    [InlineData(524_288L, 200, 261_980)]
    [InlineData(256L, 140, DescriptorBudget.Floor)]
    [InlineData(1024L, null, 378)]
    public void ConnectionCap_FollowsTheDescriptorLimit(long limit, int? inUse, int cap) =>
        Assert.Equal(cap, DescriptorBudget.TcpConnections(limit, inUse));

    [Fact]
    public void ConnectionCap_WithoutALimit_IsTheConfiguredOne()
    {
        Assert.Equal(int.MaxValue, DescriptorBudget.TcpConnections(null, 140));
        using var server = TcpServerTests.Start(new EchoProcessor(), maxConnections: 5);
        Assert.Equal(5, server.MaxConnections);   // the test host's limit is far above 5
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(server.DescriptorLimit);
            Assert.InRange(DescriptorLimit.InUse() ?? 0, 3, (int)server.DescriptorLimit.Value);
        }
    }

    [Fact]
    public void BufferPool_KeepsAtMostItsSlots_AndTrims()
    {
        var pool = new TcpBufferPool(16, retained: 2);
        byte[][] rented = [pool.Rent(), pool.Rent(), pool.Rent()];
        Assert.Equal(3, pool.Rented);
        Assert.False(pool.TryRent(3, out _));
        foreach (var buffer in rented)
            pool.Return(buffer);

        Assert.Equal(0, pool.Rented);
        var again = new[] { pool.Rent(), pool.Rent(), pool.Rent() };
        Assert.Equal(2, again.Count(b => rented.Any(r => ReferenceEquals(r, b))));   // two kept, the third was let go
        foreach (var buffer in again)
            pool.Return(buffer);
        pool.Trim();
        var fresh = pool.Rent();
        Assert.DoesNotContain(rented, b => ReferenceEquals(b, fresh));
    }
}
