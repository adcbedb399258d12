using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace DnsblServer.Serving.Tests.Transport;

/// <summary>
/// A fake processor: echoes the query with QR set. Query ID <see cref="DropId"/> (or anything
/// shorter than a DNS header) gets no answer; ID <see cref="ThrowId"/> throws.
/// </summary>
internal sealed class EchoProcessor : IQueryProcessor
{
    public const ushort DropId = 0xD0D0;
    public const ushort ThrowId = 0xBAD0;

    private long _calls;

    /// <summary>When set, each call's client address is queued (allocates; off for the allocation test).</summary>
    public bool RecordClients { get; init; }

    /// <summary>When set, call i stores the loop thread's allocated-bytes counter in slot i.</summary>
    public long[]? AllocationProbe { get; init; }

    public ConcurrentQueue<byte[]> Clients { get; } = new();

    public ConcurrentQueue<TransportKind> Transports { get; } = new();

    public long Calls => Interlocked.Read(ref _calls);

    public int Process(ReadOnlySpan<byte> query, Span<byte> response, TransportKind transport, ReadOnlySpan<byte> clientAddress)
    {
        long call = Interlocked.Increment(ref _calls) - 1;
        if (AllocationProbe is { } probe && call < probe.Length)
            probe[call] = GC.GetAllocatedBytesForCurrentThread();
        if (RecordClients)
        {
            Clients.Enqueue(clientAddress.ToArray());
            Transports.Enqueue(transport);
        }

        if (query.Length < 12)
            return 0;
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(query);
        if (id == DropId)
            return 0;
        if (id == ThrowId)
            throw new InvalidOperationException("processor failure for the test");

        query.CopyTo(response);
        response[2] |= 0x80;   // QR: this is a response
        return query.Length;
    }
}
