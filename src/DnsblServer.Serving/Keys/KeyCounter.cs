namespace DnsblServer.Serving.Keys;

/// <summary>
/// One key's usage: queries counted in the current UTC day and when the key was last seen. Lives as
/// long as the process (reloads and pushes rebuild the key tables around the same counters) and is
/// bumped by every socket loop without a lock: one 64-bit word holds the day number and the count, so
/// the first query of a new day resets it with one compare-and-swap and no count is lost or carried over.
/// </summary>
public sealed class KeyCounter
{
    // day (UTC days since 0001-01-01, about 740,000 < 2^20) in the top 20 bits, the count in the low 44
    // (1.7e13 queries: a key asked at 10 million queries a second takes 20 days to fill it)
    private const int DayShift = 44;
    private const long CountMask = (1L << DayShift) - 1;

    private long _state;
    private long _lastSeen; // Unix seconds; 0 = never

    /// <summary>Counts one query at <paramref name="utcTicks"/> (<see cref="DateTime.Ticks"/>, UTC); returns the day's count with it.</summary>
    public long Count(long utcTicks)
    {
        long day = utcTicks / TimeSpan.TicksPerDay;
        long seconds = utcTicks / TimeSpan.TicksPerSecond - UnixEpochSeconds;
        // written once a second per key at most: a plain compare first keeps the line shared between cores
        if (Volatile.Read(ref _lastSeen) != seconds) Volatile.Write(ref _lastSeen, seconds);
        long state = Volatile.Read(ref _state);
        while (true)
        {
            // the same day, or a later one another loop already moved to (our clock read was older): count there
            if (state >>> DayShift >= day) return Interlocked.Increment(ref _state) & CountMask;
            long seen = Interlocked.CompareExchange(ref _state, (day << DayShift) | 1, state);
            if (seen == state) return 1;
            state = seen;
        }
    }

    /// <summary>Queries counted on the UTC day of <paramref name="utcTicks"/> (0 when the last count was on an earlier day).</summary>
    public long CountOn(long utcTicks)
    {
        long state = Volatile.Read(ref _state);
        return state >>> DayShift == utcTicks / TimeSpan.TicksPerDay ? state & CountMask : 0;
    }

    /// <summary>The UTC day (days since 0001-01-01) of the last count, and that day's count.</summary>
    public (long Day, long Count) Today
    {
        get
        {
            long state = Volatile.Read(ref _state);
            return (state >>> DayShift, state & CountMask);
        }
    }

    /// <summary>When the key was last used, as Unix seconds; 0 = never.</summary>
    public long LastSeen => Volatile.Read(ref _lastSeen);

    /// <summary>Restores saved usage (at startup, before any query counts).</summary>
    public void Restore(long day, long count, long lastSeen)
    {
        Volatile.Write(ref _state, (day << DayShift) | Math.Clamp(count, 0, CountMask));
        Volatile.Write(ref _lastSeen, lastSeen);
    }

    private static readonly long UnixEpochSeconds = DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerSecond;
}
