using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DnsblServer.Serving.QueryLog;

/// <summary>
/// One socket loop's queue of answered queries for the log: single producer (the loop), single
/// consumer (the log writer), fixed-size slots, no locks and no allocation. When the writer falls
/// behind, new records are dropped and counted rather than slowing the loop down.
/// </summary>
internal sealed class QueryLogRing
{
    /// <summary>Bytes per slot: time, client address, header fields and the question (name up to 255 bytes, type, class).</summary>
    public const int SlotSize = 320;
    private const int Capacity = 4096; // per loop: about 1.3 MB, a few hundred milliseconds at full load

    private readonly byte[] _slots = new byte[Capacity * SlotSize];
    private long _head; // next slot the producer writes
    private long _tail; // next slot the consumer reads
    private long _dropped;

    /// <summary>Records lost because the ring was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Queues one answer (called by the socket loop that owns this ring).</summary>
    public void Add(long unixTime, ReadOnlySpan<byte> client, ReadOnlySpan<byte> response, int questionEnd)
    {
        long head = _head;
        if (head - Volatile.Read(ref _tail) >= Capacity)
        {
            _dropped++;
            return;
        }
        Span<byte> slot = _slots.AsSpan((int)(head % Capacity) * SlotSize, SlotSize);
        BinaryPrimitives.WriteInt64LittleEndian(slot, unixTime);
        slot[8] = (byte)client.Length;
        client.CopyTo(slot[9..25]);
        slot[25] = (byte)(response[3] & 0x0f);                       // RCODE
        slot[26] = response[7];                                     // ANCOUNT (rbldnsd logs the low byte)
        BinaryPrimitives.WriteUInt16LittleEndian(slot[27..], (ushort)response.Length);
        int question = questionEnd - 12;
        slot[29] = (byte)question;
        slot[30] = (byte)(question >> 8);
        response[12..questionEnd].CopyTo(slot[31..]);
        Volatile.Write(ref _head, head + 1);
    }

    /// <summary>Hands each queued record to <paramref name="reader"/> and frees its slot (called by the writer).</summary>
    public int Drain(SlotReader reader)
    {
        long tail = _tail, head = Volatile.Read(ref _head);
        for (long i = tail; i < head; i++) reader(_slots.AsSpan((int)(i % Capacity) * SlotSize, SlotSize));
        Volatile.Write(ref _tail, head);
        return (int)(head - tail);
    }

    /// <summary>Receives one slot's bytes.</summary>
    public delegate void SlotReader(ReadOnlySpan<byte> slot);
}
