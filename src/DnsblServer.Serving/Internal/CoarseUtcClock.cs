using System.Runtime.CompilerServices;

namespace DnsblServer.Serving.Internal;

/// <summary>
/// UTC time cheap enough for every query (access-key counts, cookie timestamps): the coarse monotonic millisecond clock
/// (<see cref="Environment.TickCount64"/>, a few ns) plus an offset to UTC taken from <see cref="DateTime.UtcNow"/>
/// (about 25 ns on an idle core, 120-190 ns measured on the loaded 2-CPU VM) once a second, so a wall-clock step
/// (NTP) is followed within a second. Counting keys needs the UTC day and the second; a cookie timestamp, the second.
/// </summary>
internal static class CoarseUtcClock
{
    private static long s_offset = Offset();
    private static long s_nextSync = Environment.TickCount64 + 1000;

    /// <summary>Now, in Unix seconds.</summary>
    public static long UnixSeconds() => (UtcTicks() - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;

    /// <summary>Now, as <see cref="DateTime.Ticks"/> (UTC), to within a few milliseconds.</summary>
    public static long UtcTicks()
    {
        long tick = Environment.TickCount64;
        if (tick >= Volatile.Read(ref s_nextSync)) Resync(tick);
        return Volatile.Read(ref s_offset) + tick * TimeSpan.TicksPerMillisecond;
    }

    // two loops resyncing at once write nearly the same offset: harmless, no lock needed
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Resync(long tick)
    {
        Volatile.Write(ref s_nextSync, tick + 1000);
        Volatile.Write(ref s_offset, Offset());
    }

    private static long Offset() => DateTime.UtcNow.Ticks - Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
}
