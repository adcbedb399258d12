using System.IO.Compression;
using System.Text;

namespace DnsblServer.TestSupport;

/// <summary>
/// A temporary directory for zone files that rbldnsd can read after it drops root privileges:
/// the directory is mode 755 and every file written through this class is mode 644.
/// The directory and its contents are deleted on <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Files are written to a temporary name and renamed into place, so a running server never sees a
/// half-written file. When an existing file is replaced, its modification time is moved forward by at
/// least one second, because rbldnsd only notices a change through mtime or size.
/// </remarks>
public sealed class ZoneDirectory : IDisposable
{
    private const UnixFileMode DirectoryPermissions =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode FilePermissions =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private int _tempCounter;

    /// <summary>Creates a new empty directory under the system temporary directory.</summary>
    public ZoneDirectory()
    {
        Path = Directory.CreateTempSubdirectory("dnsbl-zones-").FullName;
        SetMode(Path, DirectoryPermissions);
    }

    /// <summary>Absolute path of the directory (pass it to rbldnsd <c>-w</c> or to the zone loader).</summary>
    public string Path { get; }

    /// <summary>Absolute path of <paramref name="name"/> inside the directory (the file need not exist).</summary>
    public string GetPath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM, line endings as given). Returns the full path.</summary>
    public string Write(string name, string text) => WriteBytes(name, Utf8NoBom.GetBytes(text));

    /// <summary>Writes <paramref name="text"/> as UTF-8 and sets the file's modification time. Returns the full path.</summary>
    public string Write(string name, string text, DateTime modifiedUtc)
    {
        var path = Write(name, text);
        SetModified(name, modifiedUtc);
        return path;
    }

    /// <summary>Writes exact bytes (e.g. Latin-1 text, CR bytes, truncated data). Returns the full path.</summary>
    public string WriteBytes(string name, ReadOnlySpan<byte> content)
    {
        var path = GetPath(name);
        var parent = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(parent))
        {
            Directory.CreateDirectory(parent);
            SetMode(parent, DirectoryPermissions);
        }

        DateTime? previous = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : null;
        var temp = System.IO.Path.Combine(parent, $".tmp-{Interlocked.Increment(ref _tempCounter)}-{System.IO.Path.GetFileName(path)}");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
        }

        SetMode(temp, FilePermissions);
        if (previous is { } old)
        {
            var now = DateTime.UtcNow;
            File.SetLastWriteTimeUtc(temp, now > old.AddSeconds(1) ? now : old.AddSeconds(1));
        }

        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) gzip-compressed; rbldnsd decompresses such files transparently unless <c>-C</c>.</summary>
    public string WriteGzip(string name, string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Utf8NoBom.GetBytes(text));
        }

        return WriteBytes(name, buffer.ToArray());
    }

    /// <summary>Sets the modification time of an existing file (used e.g. for <c>$SOA</c> serial 0).</summary>
    public void SetModified(string name, DateTime modifiedUtc) =>
        File.SetLastWriteTimeUtc(GetPath(name), DateTime.SpecifyKind(modifiedUtc, DateTimeKind.Utc));

    /// <summary>Modification time of an existing file, UTC.</summary>
    public DateTime GetModified(string name) => File.GetLastWriteTimeUtc(GetPath(name));

    /// <summary>Deletes a file if it exists.</summary>
    public void Delete(string name) => File.Delete(GetPath(name));

    /// <summary>Deletes the directory and everything in it. Errors are ignored.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
