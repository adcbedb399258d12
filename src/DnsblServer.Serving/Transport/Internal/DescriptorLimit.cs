using System.Runtime.InteropServices;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// The process's soft RLIMIT_NOFILE, read with getrlimit(2). .NET raises the soft limit to the
/// hard one at start, so this is what the process really has (1,024 in many containers).
/// </summary>
internal static partial class DescriptorLimit
{
    // RLIMIT_NOFILE: 7 on Linux (x86, x64, arm, arm64), 8 on macOS and the BSDs.
    private const int LinuxNoFile = 7;
    private const int BsdNoFile = 8;

    /// <summary>The soft limit, or <see langword="null"/> when there is none (Windows, RLIM_INFINITY, or the call failed).</summary>
    public static long? Soft()
    {
        if (OperatingSystem.IsWindows())
            return null;
        int resource = OperatingSystem.IsLinux() ? LinuxNoFile : BsdNoFile;
        try
        {
            if (GetRLimit(resource, out RLimit limit) != 0)
                return null;
            ulong soft = limit.Current;
            return soft > int.MaxValue ? null : (long)soft;   // RLIM_INFINITY is all ones
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Descriptors open now (Linux: the entries of /proc/self/fd), or <see langword="null"/> when that cannot be read.</summary>
    public static int? InUse()
    {
        try
        {
            return OperatingSystem.IsLinux() ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRLimit(int resource, out RLimit limit);

    // struct rlimit { rlim_t rlim_cur, rlim_max; }: rlim_t is unsigned long on Linux, uint64 on macOS.
    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public nuint Current;
        public nuint Maximum;
    }
}
