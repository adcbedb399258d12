namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// The buffer pools of one <see cref="TcpServer"/>, with the caps that bound what clients can pin.
/// Worst case at the default cap of 1,024 connections: 1,024 x 4 KiB mid-frame + 64 x 64 KiB large
/// frames + 1,024 x 4 KiB unread answers = 12 MiB, plus 1 MiB + 512 KiB kept pooled.
/// </summary>
internal sealed class TcpBuffers
{
    /// <summary>Small buffers: a DNSBL query is under 100 bytes and its answer rarely over 1,232.</summary>
    public const int SmallBytes = 4096;

    /// <summary>A full frame: the 2-byte prefix and a 65,535-byte message.</summary>
    public const int LargeBytes = 2 + TransportOptions.MaxTcpMessageBytes;

    /// <summary>Kept small buffers: 256 x 4 KiB = 1 MiB, enough for bursts of short queries.</summary>
    public const int SmallRetained = 256;

    /// <summary>Kept large buffers: 8 x 64 KiB = 512 KiB; large frames are rare for a DNSBL.</summary>
    public const int LargeRetained = 8;

    /// <summary>
    /// At most this many connections may read a frame over 4 KiB at once (64 x 64 KiB = 4 MiB); one
    /// more is closed. A real DNSBL query is one question and an OPT record, far below 4 KiB.
    /// </summary>
    public const int DefaultLargeReceiveLimit = 64;

    public TcpBufferPool Small { get; } = new(SmallBytes, SmallRetained);

    public TcpBufferPool Large { get; } = new(LargeBytes, LargeRetained);

    public int LargeReceiveLimit { get; init; } = DefaultLargeReceiveLimit;

    /// <summary>Drops the kept buffers of both pools.</summary>
    public void Trim()
    {
        Small.Trim();
        Large.Trim();
    }
}
