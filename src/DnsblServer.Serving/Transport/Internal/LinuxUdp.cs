using System.Runtime.InteropServices;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// The libc calls the Linux UDP loop makes directly. .NET's <c>Socket.ReceiveFrom</c>/<c>SendTo</c>
/// go through <c>recvmsg</c>/<c>sendmsg</c> and its socket layer, one datagram a call; measured under dnsperf
/// (benchmarks/load), that cost about 0.9 µs per query of kernel and managed time. <c>recvmmsg</c>/<c>sendmmsg</c>
/// move every datagram already queued, and all their answers, in one call each.
/// </summary>
internal static unsafe partial class LinuxUdp
{
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ShutRdWr = 2;

    /// <summary><c>recvmmsg</c>: block for the first datagram only, then take what is already queued.</summary>
    public const int MsgWaitForOne = 0x10000;

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary><c>struct msghdr</c> (C layout: 56 bytes on 64-bit, 28 on 32-bit).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct mmsghdr</c>: a <c>struct msghdr</c> and the byte count the call fills in.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMMsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);

    /// <summary><c>struct timespec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep", SetLastError = true)]
    public static partial int NanoSleep(TimeSpec* duration, TimeSpec* remaining);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int fd, int how);
}
