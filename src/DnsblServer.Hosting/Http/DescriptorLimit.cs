using System.Runtime.InteropServices;

namespace DnsblServer.Hosting.Http;

/// <summary>The process's open-file limit (RLIMIT_NOFILE), which every socket, zone file and journal counts against.</summary>
internal static partial class DescriptorLimit
{
    /// <summary>Used where getrlimit is not available (Windows) or fails: the common Linux default soft limit.</summary>
    public const long Fallback = 1024;

    /// <summary>
    /// The soft limit now in force. The runtime raises the soft limit to the hard one at start,
    /// so this is normally the hard limit (1,024 in many containers, 524,288 on systemd hosts).
    /// </summary>
    public static long Current()
    {
        if (OperatingSystem.IsWindows()) return Fallback;
        // RLIMIT_NOFILE is 7 on Linux, 8 on macOS and the BSDs
        int resource = OperatingSystem.IsLinux() ? 7 : 8;
        if (GetRLimit(resource, out var limit) != 0) return Fallback;
        return limit.Current > long.MaxValue ? long.MaxValue : (long)limit.Current; // RLIM_INFINITY is ~0UL
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);
}
