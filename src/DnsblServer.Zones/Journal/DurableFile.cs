using System.Runtime.InteropServices;

namespace DnsblServer.Zones.Journal;

/// <summary>
/// Crash-safe file replacement: write a temporary file in the same directory, fsync it, rename it over
/// the target (atomic on POSIX), then fsync the directory so the rename itself survives a power loss.
/// A reader (or a reload) sees the old file or the new one, never half of one.
/// </summary>
public static partial class DurableFile
{
    /// <summary>A fresh temporary name beside <paramref name="target"/> (hidden, same directory, so the rename stays on one filesystem).</summary>
    public static string TempPathFor(string target) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Appends <paramref name="line"/> and a newline to a journal durably (write + fsync; the directory too when
    /// the file is new). On a failed write (disk full, say) the file is cut back, so no half line is left for
    /// the next append to glue onto. Returns the file's length after.
    /// </summary>
    public static long AppendLine(string path, string line)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        long before = stream.Position;
        try
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            stream.SetLength(before);
            throw;
        }
        if (before == 0) SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return stream.Length;
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="target"/> atomically and durably.</summary>
    public static void WriteAllText(string target, string text)
    {
        string temp = TempPathFor(target);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            Replace(temp, target);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Renames a complete, fsync'd <paramref name="temp"/> over <paramref name="target"/> and fsyncs the directory.</summary>
    public static void Replace(string temp, string target)
    {
        File.Move(temp, target, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
    }

    /// <summary>fsync(2) on a directory (its entries); a no-op off Unix.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
