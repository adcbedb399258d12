using System.Runtime.InteropServices;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// One UDP loop's counters. Only the loop's own thread writes them, with plain increments
/// (an Interlocked add costs about 20 cycles on a contended line; a plain one about 1);
/// the exporter reads them with <see cref="Volatile"/> and sums. The 64 bytes of padding on
/// each side keep two loops' counters off the same cache line.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct UdpLoopCounters
{
    [FieldOffset(64)] public long Received;
    [FieldOffset(72)] public long Answered;
    [FieldOffset(80)] public long Dropped;
    [FieldOffset(88)] public long Errors;
    [FieldOffset(96)] public long ProxyInvalid;     // from a trusted proxy without a valid PROXY v2 header
    [FieldOffset(104)] public long ProxyUntrusted;  // a PROXY v2 header from a peer not trusted
}
