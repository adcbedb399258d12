namespace DnsblServer.Zones.Files;

/// <summary>A file as it was when loaded; a reload is needed when its mtime or size changes (as rbldnsd checks).</summary>
public readonly record struct FileStamp(string Path, DateTime LastWriteUtc, long Size)
{
    /// <summary>Reads the current stamp of a file; null when it cannot be read.</summary>
    public static FileStamp? Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(path, info.LastWriteTimeUtc, info.Length) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
