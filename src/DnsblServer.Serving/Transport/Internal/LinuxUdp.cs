using System.Runtime.InteropServices;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// The three libc calls the Linux UDP loop makes directly. .NET's <c>Socket.ReceiveFrom</c>/<c>SendTo</c>
/// go through <c>recvmsg</c>/<c>sendmsg</c> and its socket layer; measured under dnsperf (benchmarks/load),
/// that cost about 0.9 µs per query of kernel and managed time that plain <c>recvfrom</c>/<c>sendto</c> do not.
/// </summary>
internal static unsafe partial class LinuxUdp
{
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ShutRdWr = 2;

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, byte* address, int* addressLength);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, int addressLength);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int fd, int how);
}
