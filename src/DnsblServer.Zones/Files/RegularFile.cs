using System.Runtime.InteropServices;

namespace DnsblServer.Zones.Files;

/// <summary>
/// Tells what a path is before it is opened: open(2) on a FIFO blocks until a writer appears, and a
/// device can stream forever, so only regular files are read (a FIFO renamed over a zone file once
/// left the load lock held for good). Uses statx(2), whose struct layout is the same on every Linux
/// architecture (struct stat is not). Elsewhere, or when statx is missing, nothing is checked.
/// </summary>
internal static partial class RegularFile
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: mask, blksize, attributes(8), nlink, uid, gid, then u16 mode

    /// <summary>Null when <paramref name="path"/> is a regular file (following symbolic links) or cannot be checked; otherwise what it is, such as "a FIFO".</summary>
    public static string? WhyNot(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        Span<byte> buffer = stackalloc byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0) return null; // open reports it
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        int mode = BitConverter.ToUInt16(buffer.Slice(ModeOffset, 2)) & 0xF000;
        return mode switch
        {
            0x8000 => null,
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x4000 => "a directory",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
