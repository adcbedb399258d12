using System.Buffers.Binary;
using System.Net.Sockets;
using DnsblServer.Serving.Transport;
using static DnsblServer.Serving.Tests.Transport.TestClient;

namespace DnsblServer.Serving.Tests.Transport;

/// <summary>
/// The Linux loop's batches (recvmmsg/sendmmsg): datagrams that queue up while the loop is busy are
/// taken together, each answered to its own sender, and a datagram longer than a batch slot still
/// arrives whole. The processor holds the loop on its first call, so what is sent meanwhile queues.
/// </summary>
public sealed class UdpBatchTests
{
    /// <summary>
    /// Answers ID, length and byte sum of the query (12 bytes: ID, QR flag byte, pad, length, sum),
    /// so a test sees whether the whole datagram arrived; its first call waits for <see cref="Release"/>.
    /// </summary>
    private sealed class GateProcessor : IQueryProcessor
    {
        private readonly ManualResetEventSlim _gate = new();
        private readonly ManualResetEventSlim _entered = new();
        private int _calls;

        public void Release() => _gate.Set();

        public bool WaitEntered() => _entered.Wait(TimeSpan.FromSeconds(10));

        public int Process(ReadOnlySpan<byte> query, Span<byte> response, TransportKind transport, ReadOnlySpan<byte> clientAddress)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _entered.Set();
                _gate.Wait(TimeSpan.FromSeconds(10));
            }
            uint sum = 0;
            foreach (byte b in query) sum += b;
            query[..2].CopyTo(response);
            response[2] = 0x80;
            response[3] = 0;
            BinaryPrimitives.WriteInt32BigEndian(response[4..], query.Length);
            BinaryPrimitives.WriteUInt32BigEndian(response[8..], sum);
            return 12;
        }
    }

    private static UdpServer Start(IQueryProcessor processor)
    {
        var server = new UdpServer(processor, new TransportOptions
        {
            Endpoints = [AnyPort("127.0.0.1")],
            UdpLoopsPerEndpoint = 1,
            SocketReceiveBufferBytes = 1024 * 1024,
        });
        server.Start();
        return server;
    }

    private static byte[] Datagram(ushort id, int length, byte fill)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(fill);
        BinaryPrimitives.WriteUInt16BigEndian(bytes, id);
        return bytes;
    }

    private static uint Sum(byte[] bytes) => bytes.Aggregate(0u, (s, b) => s + b);

    // Holds the loop in the processor with a first query, so later datagrams queue in the socket.
    private static Socket Hold(UdpServer server, GateProcessor processor)
    {
        var first = UdpClient(server.LocalEndpoints[0]);
        first.Send(Datagram(1, 12, 0));
        Assert.True(processor.WaitEntered());
        return first;
    }

    [Fact]
    public void QueuedBurst_LargerThanABatch_EachAnsweredToItsSender()
    {
        var processor = new GateProcessor();
        using var server = Start(processor);
        using var first = Hold(server, processor);
        int clients = 3 * UdpLoopBatch + 5;
        var sockets = Enumerable.Range(0, clients).Select(_ => UdpClient(server.LocalEndpoints[0])).ToArray();
        try
        {
            for (int i = 0; i < clients; i++) sockets[i].Send(Datagram((ushort)(100 + i), 20 + i, (byte)i));
            processor.Release();

            var buffer = new byte[64];
            for (int i = 0; i < clients; i++)
            {
                sockets[i].ReceiveTimeout = 5000;
                int n = sockets[i].Receive(buffer);
                Assert.Equal(12, n);
                Assert.Equal(100 + i, Id(buffer));
                Assert.Equal(20 + i, BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4)));
            }
            Assert.True(Eventually(() => server.Snapshot() is { UdpReceived: var r, UdpAnswered: var a, UdpErrors: 0 } && r == clients + 1 && a == clients + 1));
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(65507)]
    public void LongDatagram_ArrivesWhole(int length)
    {
        var processor = new GateProcessor();
        using var server = Start(processor);
        using var first = Hold(server, processor);
        processor.Release();
        using var client = UdpClient(server.LocalEndpoints[0]);
        var query = Datagram(7, length, 0xA5);

        var answer = UdpRoundTrip(client, query);

        Assert.Equal(7, Id(answer));
        Assert.Equal(length, BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(4)));
        Assert.Equal(Sum(query), BinaryPrimitives.ReadUInt32BigEndian(answer.AsSpan(8)));
    }

    [Fact]
    public void TwoLongDatagramsInOneBatch_TheLastIsWhole_TheEarlierCountedAsAnError()
    {
        if (!OperatingSystem.IsLinux()) return; // other systems receive one datagram at a time, so both arrive whole
        var processor = new GateProcessor();
        using var server = Start(processor);
        using var first = Hold(server, processor);
        using var client = UdpClient(server.LocalEndpoints[0]);
        var longer = Datagram(20, 5000, 0x11);
        var shorter = Datagram(21, 40, 0x22);
        var last = Datagram(22, 9000, 0x33);
        client.Send(longer);
        client.Send(shorter);
        client.Send(last);
        processor.Release();

        var buffer = new byte[64];
        client.ReceiveTimeout = 5000;
        var seen = new Dictionary<int, uint>();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(12, client.Receive(buffer));
            seen[Id(buffer)] = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8));
        }

        Assert.Equal(Sum(shorter), seen[21]);
        Assert.Equal(Sum(last), seen[22]);
        Assert.True(Eventually(() => server.Snapshot() is { UdpReceived: 4, UdpAnswered: 3, UdpErrors: 1 }));
    }

    private static int UdpLoopBatch => DnsblServer.Serving.Transport.Internal.UdpLoop.Batch;
}
