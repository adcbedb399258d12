using DnsblServer.Zones.Datasets.Ip4;
using System.IO.Compression;
using System.Text;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests.Files;

/// <summary>A truncated, corrupt, garbage, oversized or non-regular file fails the load with one clear message.</summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsbl-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Addresses(int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++) text.Append($"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}\n");
        return text.ToString();
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(Encoding.ASCII.GetBytes(text));
        return output.ToArray();
    }

    private string WriteBytes(byte[] bytes)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static DatasetLoadResult Load(string path, LoadOptions? options = null) =>
        DatasetLoader.Load("ip4set", [path], options ?? LoadOptions.Default);

    [Fact]
    public void WholeGzipLoads()
    {
        var result = Load(WriteBytes(Gzip(Addresses(50_000))));
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(50_000, result.Dataset!.EntryCount);
    }

    [Fact]
    public void ConcatenatedMembersLoad()
    {
        // gzip and zlib accept members one after another (cat a.gz b.gz); so does rbldnsd
        var result = Load(WriteBytes([.. Gzip(Addresses(30_000)), .. Gzip("192.0.2.1\n"), .. Gzip("")]));
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(30_001, result.Dataset!.EntryCount);
    }

    [Theory]
    [InlineData(100)]          // inside the compressed data
    [InlineData(4)]            // inside the trailer
    [InlineData(8)]            // the whole trailer
    public void TruncatedGzipFails(int cut)
    {
        byte[] whole = Gzip(Addresses(50_000));
        int length = cut == 100 ? whole.Length / 2 : whole.Length - cut;
        var result = Load(WriteBytes(whole[..length]));
        Assert.False(result.Succeeded);
        Assert.StartsWith("truncated gzip stream", result.Error!.Message);
        Assert.Equal(0, result.Error.Line);
    }

    [Fact]
    public void CrcMismatchIsNamed()
    {
        byte[] bytes = Gzip(Addresses(1000));
        bytes[^6] ^= 0xff; // in the CRC-32 field
        var result = Load(WriteBytes(bytes));
        Assert.Equal("gzip CRC mismatch", result.Error?.Message);
    }

    [Fact]
    public void CorruptDeflateIsNamed()
    {
        byte[] bytes = Gzip(Addresses(1000));
        for (int i = 12; i < 40; i++) bytes[i] = 0xff;
        var result = Load(WriteBytes(bytes));
        Assert.False(result.Succeeded);
        Assert.DoesNotContain("unsupported compression method", result.Error!.Message);
    }

    [Fact]
    public void RandomBytesFail()
    {
        var random = new Random(15);
        byte[] garbage = new byte[200_000];
        random.NextBytes(garbage);
        var result = Load(WriteBytes(garbage));
        Assert.False(result.Succeeded);
        Assert.Contains("binary data", result.Error!.Message);
    }

    [Fact]
    public void TextWhereNoLineParsesFails()
    {
        string page = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        var result = Load(WriteBytes(Encoding.ASCII.GetBytes(page)));
        Assert.False(result.Succeeded);
        Assert.Contains("none of its 7 data line(s) could be used", result.Error!.Message);
    }

    [Fact]
    public void OneBadLineAmongGoodOnesIsAWarning()
    {
        var result = Load(WriteBytes(Encoding.ASCII.GetBytes("# comment\nnot an address\n192.0.2.1\n")));
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(1, result.WarningCount);
        // a single bad line alone is an empty list with a warning, as in rbldnsd
        Assert.True(Load(WriteBytes(Encoding.ASCII.GetBytes("not an address\n"))).Succeeded);
    }

    [Fact]
    public void EmptyAndCommentOnlyFilesLoad()
    {
        Assert.True(Load(WriteBytes([])).Succeeded);
        Assert.True(Load(WriteBytes(Encoding.ASCII.GetBytes("# nothing listed today\n$TTL 60\n"))).Succeeded);
    }

    [Fact]
    public void ByteCapFailsTheLoad()
    {
        var result = Load(WriteBytes(Gzip(Addresses(100_000))), new LoadOptions { MaxFileBytes = 100_000 });
        Assert.False(result.Succeeded);
        Assert.Contains("more than 100000 bytes (decompressed)", result.Error!.Message);
    }

    [Fact]
    public void LineCapFailsTheLoad()
    {
        var result = Load(WriteBytes(Encoding.ASCII.GetBytes(Addresses(1001))), new LoadOptions { MaxFileLines = 1000 });
        Assert.False(result.Succeeded);
        Assert.Equal(1001, result.Error!.Line);
        Assert.Contains("more than 1000 lines", result.Error.Message);
    }

    [Fact]
    public async Task FifoIsRefusedWithoutBlocking()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = Path.Combine(_dir, "fifo");
        File.CreateSymbolicLink(path + ".link", path);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)) mkfifo.WaitForExit();
        var load = Task.Run(() => Load(path + ".link")); // through a link too: it is the target that counts
        var result = await load.WaitAsync(TimeSpan.FromSeconds(10)); // throws TimeoutException when the load blocks
        Assert.Equal("is a FIFO, not a regular file: only regular files are loaded", result.Error?.Message);
    }

    [Fact]
    public void DirectoryIsRefused()
    {
        var result = Load(Directory.CreateTempSubdirectory("dnsbl-dir-").FullName);
        Assert.Contains("is a directory", result.Error?.Message);
    }

    [Fact]
    public void LineEndsAtNulAsInRbldnsd()
    {
        // rbldnsd reads C strings: "nul\0inside $" is served as "nul", never with the address
        var result = Load(WriteBytes(Encoding.Latin1.GetBytes("203.0.113.21 :127.0.0.2:nul\0inside $\n203.0.113.23\0junk\n")));
        Assert.True(result.Succeeded, result.Error?.ToString());
        var dataset = (Ip4Dataset)result.Dataset!;
        Assert.Equal("127.0.0.2 nul", ZoneText.Answer(dataset, "203.0.113.21"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(dataset, "203.0.113.23"));
    }

    [Fact]
    public void RepeatedLinesDoNotGrowTheLoad()
    {
        // 2 million copies of one line: memory must follow the one entry, not the lines
        // (gzip, as a bomb would be: the builder sizes itself from the compressed length)
        string path = Path.Combine(_dir, "repeated.gz");
        byte[] line = Encoding.ASCII.GetBytes("10.20.30.40\n");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            for (int i = 0; i < 2_000_000; i++) gzip.Write(line);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = Load(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(1, result.Dataset!.EntryCount);
        Assert.True(allocated < 8_000_000, $"{allocated} bytes allocated for 2M copies of one line"); // was 16+ MB: 8 B per line
    }

    // A huge plain file (here sparse: 4 GiB that take no disk) is refused once MaxFileBytes is read; before that, the
    // parsers reserved room from its size (ip6trie ~29 B per 24 B of file: 5 GB for this one, an OutOfMemoryException
    // in a container). They reserve from the size clamped to MaxFileBytes.
    [Theory]
    [InlineData("ip4set")]
    [InlineData("ip6trie")]
    [InlineData("ip6tset")]
    [InlineData("dnset")]
    public void AHugeFileReservesNoMoreThanMaxFileBytesAllows(string type)
    {
        string path = Path.Combine(_dir, "huge-" + type);
        using (var file = File.Create(path))
        {
            file.Write("2001:db8::1\n"u8);
            file.SetLength(4L << 30);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = DatasetLoader.Load(type, [path], new LoadOptions { MaxFileBytes = 1 << 20 });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(result.Succeeded);
        Assert.True(allocated < 64 << 20, $"{allocated} bytes allocated for a file refused after 1 MB");
    }
}
