namespace DnsblServer.Fuzzing.Targets;

/// <summary>One scratch file per process for targets whose code reads a file (in /dev/shm when there is one: no disk I/O per input).</summary>
internal static class ScratchFile
{
    private static readonly string Folder = CreateFolder();

    public static string Path { get; } = System.IO.Path.Combine(Folder, "input");

    /// <summary>Writes <paramref name="bytes"/> as the scratch file and returns its path.</summary>
    public static string Write(ReadOnlySpan<byte> bytes)
    {
        using (var stream = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            stream.Write(bytes);
        }
        return Path;
    }

    private static string CreateFolder()
    {
        // fuzz.sh names a root it removes at the end: SharpFuzz kills children on hangs, before ProcessExit runs
        string root = Environment.GetEnvironmentVariable("DNSBL_FUZZ_SCRATCH") is { Length: > 0 } given ? given
            : Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        string folder = System.IO.Path.Combine(root, $"dnsbl-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, true); } catch (IOException) { } };
        return folder;
    }
}
