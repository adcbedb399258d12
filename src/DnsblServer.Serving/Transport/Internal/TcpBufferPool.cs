namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// A fixed number of same-size buffers kept for reuse, so what TCP clients can make the server
/// hold is bounded by this pool plus what the open connections have rented. Rent takes a free
/// slot or allocates; Return fills a free slot or lets the buffer go to the GC. Lock-free, no
/// allocation once warm. Unlike <c>ArrayPool.Shared</c>, buffers are the exact size (65,537 bytes
/// for a full frame, not rounded up to 128 KiB) and <see cref="Trim"/> empties it after a flood.
/// </summary>
internal sealed class TcpBufferPool
{
    private readonly byte[]?[] _slots;
    private int _rented;

    public TcpBufferPool(int bufferBytes, int retained)
    {
        BufferBytes = bufferBytes;
        _slots = new byte[retained][];
    }

    /// <summary>The size of every buffer.</summary>
    public int BufferBytes { get; }

    /// <summary>Buffers rented and not returned yet.</summary>
    public int Rented => Volatile.Read(ref _rented);

    /// <summary>A buffer of <see cref="BufferBytes"/>, from a slot when one is filled.</summary>
    public byte[] Rent()
    {
        Interlocked.Increment(ref _rented);
        for (int i = 0; i < _slots.Length; i++)
        {
            if (Volatile.Read(ref _slots[i]) is not null && Interlocked.Exchange(ref _slots[i], null) is { } buffer)
                return buffer;
        }

        return new byte[BufferBytes];
    }

    /// <summary>Like <see cref="Rent"/>, but false when <paramref name="limit"/> buffers are already out.</summary>
    public bool TryRent(int limit, out byte[] buffer)
    {
        if (Interlocked.Increment(ref _rented) > limit)
        {
            Interlocked.Decrement(ref _rented);
            buffer = [];
            return false;
        }

        Interlocked.Decrement(ref _rented);
        buffer = Rent();
        return true;
    }

    /// <summary>Gives <paramref name="buffer"/> back; kept if a slot is free, else left to the GC.</summary>
    public void Return(byte[] buffer)
    {
        Interlocked.Decrement(ref _rented);
        for (int i = 0; i < _slots.Length; i++)
        {
            if (Volatile.Read(ref _slots[i]) is null && Interlocked.CompareExchange(ref _slots[i], buffer, null) is null)
                return;
        }
    }

    /// <summary>Drops every kept buffer (rented ones come back later as usual).</summary>
    public void Trim()
    {
        for (int i = 0; i < _slots.Length; i++)
            Volatile.Write(ref _slots[i], null);
    }
}
