namespace DnsblServer.Zones.Files;

/// <summary>A file as it was when loaded; a reload is needed when its mtime or size changes (as rbldnsd checks).</summary>
public readonly record struct FileStamp(string Path, DateTime LastWriteUtc, long Size)
{
    /// <summary>Reads the current stamp of a file; null when it cannot be read.</summary>
    public static FileStamp? Read(string path)
    {
        try
        {
            var info = Resolve(path);
            return info.Exists ? new FileStamp(path, info.LastWriteTimeUtc, info.Length) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    // A zone file is often a symbolic link (to the latest rsync'ed copy): what counts is the file it
    // leads to, whose mtime and size change when the data does (the link's own are those of the link).
    private static FileInfo Resolve(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
    }
}
