using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

public sealed class Ip4SetTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Theory]
    [InlineData("127.0.0.2", "127.0.0.2", "127.0.0.2")]
    [InlineData("127.0.0.2", "127.0.0.3", "-")]
    [InlineData("127.0.0", "127.0.0.77", "127.0.0.2")]          // prefix = /24
    [InlineData("127.0", "127.0.200.1", "127.0.0.2")]           // prefix = /16
    [InlineData("127", "127.0.0.1", "-")]                        // bare number rejected
    [InlineData("10/8", "10.200.0.1", "127.0.0.2")]
    [InlineData("10.0/16", "10.0.9.9", "127.0.0.2")]
    [InlineData("10.0/16", "10.1.0.0", "-")]
    [InlineData("10.5.0.10-20", "10.5.0.20", "127.0.0.2")]      // short right side
    [InlineData("10.5.0.10-20", "10.5.0.21", "-")]
    [InlineData("10.5.0.10-20", "10.5.0.9", "-")]
    [InlineData("127.16-31", "127.31.255.255", "127.0.0.2")]
    [InlineData("127.16-31", "127.32.0.0", "-")]
    [InlineData("10.6-7", "10.7.1.1", "127.0.0.2")]
    [InlineData("1.2.3-2.3.4.5", "1.2.3.9", "-")]                // mixed octet counts rejected
    [InlineData("10.4.0.1/24", "10.4.0.1", "-")]                 // host bits rejected without -e
    [InlineData("1.2.3.04", "1.2.3.4", "127.0.0.2")]             // leading zeros
    [InlineData("1.2.3.256", "1.2.3.25", "-")]
    [InlineData("1.2.3.4/33", "1.2.3.4", "-")]
    [InlineData("1.2.3.4 # comment", "1.2.3.4", "127.0.0.2")]
    [InlineData("1.2.3.4;comment", "1.2.3.4", "127.0.0.2")]
    [InlineData("  \t1.2.3.4 \t ", "1.2.3.4", "127.0.0.2")]
    [InlineData("1.2.3.4x", "1.2.3.4", "-")]
    [InlineData("0/0", "203.0.113.9", "-")]                      // rbldnsd refuses /0 in ip4set
    [InlineData("0.0.0.0-255.255.255.255", "203.0.113.9", "127.0.0.2")]
    [InlineData("0.0.0.0/1", "127.0.0.1", "127.0.0.2")]
    [InlineData("1.2.3-2.3.4", "1.255.0.0", "127.0.0.2")]
    [InlineData("1.2.3.4 - 1.2.3.5", "1.2.3.5", "-")]
    [InlineData("1.2.3.4\r", "1.2.3.4", "-")]
    [InlineData("10.0.0.250-10.0.3.5", "10.0.1.77", "127.0.0.2")]
    [InlineData("10.0.0.250-10.0.3.5", "10.0.3.6", "-")]
    [InlineData("10.0.0.250-10.0.3.5", "10.0.0.249", "-")]
    public void Keys(string line, string query, string expected)
    {
        var ds = _zones.Load("ip4set", line + "\n");
        Assert.Equal(expected, ZoneText.Answer(ds, query));
    }

    [Fact]
    public void HostBitsAreMaskedWithDashE()
    {
        var ds = _zones.Load("ip4set", "10.4.0.1/24\n", new LoadOptions { AcceptHostBits = true });
        Assert.Equal("127.0.0.2", ZoneText.Answer(ds, "10.4.0.200"));
    }

    [Theory]
    [InlineData("1.2.3.4 :3:text", "127.0.0.3 text")]
    [InlineData("1.2.3.4 :3:", "127.0.0.3")]
    [InlineData("1.2.3.4 :3", "127.0.0.3 dflt")]
    [InlineData("1.2.3.4 bare text", "127.0.0.9 bare text")]
    [InlineData("1.2.3.4:4:glued", "127.0.0.4 glued")]
    [InlineData("1.2.3.4 :127.0.0.5:x", "127.0.0.5 x")]
    [InlineData("1.2.3.4 :127.6:x", "127.0.0.6 x")]
    [InlineData("1.2.3.4 :0.5:x", "0.0.0.5 x")]
    [InlineData("1.2.3.4 :0:x", "-")]                               // invalid A: line skipped
    [InlineData("1.2.3.4 :bad", "-")]
    [InlineData("1.2.3.4 :3 junk", "-")]                            // unrecognized value
    [InlineData("1.2.3.4 :3:  spaced  ", "127.0.0.3 spaced")]      // trailing blanks trimmed with the line
    [InlineData("1.2.3.4 :3:a # not a comment", "127.0.0.3 a # not a comment")]
    [InlineData("1.2.3.4 # comment", "127.0.0.9 dflt")]
    public void Values(string line, string expected)
    {
        var ds = _zones.Load("ip4set", ":9:dflt\n" + line + "\n");
        Assert.Equal(expected, ZoneText.Answer(ds, "1.2.3.4"));
    }

    [Theory]
    [InlineData("Listed $", "Listed 1.2.3.4")]
    [InlineData("a$$b", "a$b")]
    [InlineData("v=$1.", "v=one.")]
    [InlineData("v=$2.", "v=$2.")]                   // undefined variable stays literal
    [InlineData("end$", "end1.2.3.4")]
    [InlineData("$x", "1.2.3.4x")]
    [InlineData("=raw $", "raw 1.2.3.4")]            // no base template: '=' is dropped
    public void TxtSubstitution(string text, string expected)
    {
        var ds = _zones.Load("ip4set", "$1 one\n1.2.3.4 :2:" + text + "\n");
        Assert.Equal("127.0.0.2 " + expected, ZoneText.Answer(ds, "1.2.3.4"));
    }

    [Theory]
    [InlineData("1.2.3.4 :2:entry", "127.0.0.2 [entry] 1.2.3.4")]
    [InlineData("1.2.3.4 :2:", "127.0.0.2 [1.2.3.4] 1.2.3.4")]       // no text: $= is the address
    [InlineData("1.2.3.4 :2:=own $", "127.0.0.2 own 1.2.3.4")]       // '=' bypasses the base template
    public void BaseTemplate(string line, string expected)
    {
        var ds = _zones.Load("ip4set", "$= [$=] $\n" + line + "\n");
        Assert.Equal(expected, ZoneText.Answer(ds, "1.2.3.4"));
    }

    [Fact]
    public void TxtIsCappedAt254()
    {
        var ds = _zones.Load("ip4set", "1.2.3.4 :2:" + new string('x', 300) + "\n");
        string answer = ZoneText.Answer(ds, "1.2.3.4");
        Assert.Equal("127.0.0.2 " + new string('x', 254), answer);
    }

    [Fact]
    public void MostSpecificLevelDecidesWithAllItsValues()
    {
        var ds = _zones.Load("ip4set", """
            10.0.0.0/25 :2:B
            10.0.0.0/26 :3:C
            10.1.0.0/16 :4:D
            10.1.0.0/17 :5:E
            10.2.0.7
            !10.2.0.0/24
            10.3.0.7
            !10.3.0.7
            10.8.0.0/25
            !10.8.0.0/24
            !10.8.1.0/25
            10.8.1.0/24
            9.0.0.9 :6:first
            9.0.0.9 :7:second
            9.0.0.9 :6:first
            """);
        Assert.Equal("127.0.0.2 B | 127.0.0.3 C", ZoneText.Answer(ds, "10.0.0.5"));
        Assert.Equal("127.0.0.2 B", ZoneText.Answer(ds, "10.0.0.100"));
        Assert.Equal("127.0.0.5 E", ZoneText.Answer(ds, "10.1.5.1"));
        Assert.Equal("127.0.0.4 D", ZoneText.Answer(ds, "10.1.200.1"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(ds, "10.2.0.7"));   // /32 level beats the /24 exclusion
        Assert.Equal("-", ZoneText.Answer(ds, "10.2.0.8"));
        Assert.Equal("-", ZoneText.Answer(ds, "10.3.0.7"));           // exclusion wins within its level
        Assert.Equal("127.0.0.2", ZoneText.Answer(ds, "10.8.0.5"));
        Assert.Equal("-", ZoneText.Answer(ds, "10.8.0.200"));
        Assert.Equal("-", ZoneText.Answer(ds, "10.8.1.5"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(ds, "10.8.1.200"));
        Assert.Equal("127.0.0.6 first | 127.0.0.7 second", ZoneText.Answer(ds, "9.0.0.9"));
    }

    [Fact]
    public void DefaultLineWithOnlyAClearsTheTxt()
    {
        var ds = _zones.Load("ip4set", ":3:abc\n:4\n1.0.0.1\n1.0.0.2 :5\n");
        Assert.Equal("127.0.0.4", ZoneText.Answer(ds, "1.0.0.1"));
        Assert.Equal("127.0.0.5", ZoneText.Answer(ds, "1.0.0.2"));
    }

    [Fact]
    public void DefaultValueIsPerFile()
    {
        var ds = _zones.LoadFiles("ip4set", ":5:five\n1.1.1.1\n", "2.2.2.2\n:6:six\n3.3.3.3\n");
        Assert.Equal("127.0.0.5 five", ZoneText.Answer(ds, "1.1.1.1"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(ds, "2.2.2.2"));
        Assert.Equal("127.0.0.6 six", ZoneText.Answer(ds, "3.3.3.3"));
    }

    [Fact]
    public void ExclusionCrossesFilesOfOneDataset()
    {
        var ds = _zones.LoadFiles("ip4set", "1.1.1.1\n", "!1.1.1.1\n");
        Assert.Equal("-", ZoneText.Answer(ds, "1.1.1.1"));
    }

    [Fact]
    public void RangesStayRanges()
    {
        var ds = _zones.Load("ip4set", "10.16.0.0/20\n10.0.0.10-10.0.5.20\n1.2.3.4\n");
        Assert.Equal(1, ds.Map.SingleCount);
        Assert.Equal(2, ds.Map.RangeCount);
    }

    [Fact]
    public void LastLineWithoutNewlineIsServedWithAWarning()
    {
        var result = _zones.LoadResult("ip4set", "1.1.1.1\n2.2.2.2");
        Assert.True(result.Succeeded);
        Assert.Equal("127.0.0.2", ZoneText.Answer((Datasets.Ip4.Ip4Dataset)result.Dataset!, "2.2.2.2"));
        Assert.Contains(result.Warnings, w => w.Line == 2);
    }

    [Fact]
    public void BadLinesAreWarningsNamingFileAndLine()
    {
        var result = _zones.LoadResult("ip4set", "1.1.1.1\nnot-an-ip\n$BOGUS x\n1.2.3.4 :0:\n");
        Assert.True(result.Succeeded);
        Assert.Equal(3, result.WarningCount);
        Assert.Equal([2, 3, 4], result.Warnings.Select(w => w.Line));
        Assert.Contains("invalid address", result.Warnings[0].Message);
        Assert.EndsWith(":2: invalid address", result.Warnings[0].ToString());
    }

    [Fact]
    public void MaxRangeSkipsLargeEntriesAndOnlyShrinks()
    {
        var result = _zones.LoadResult("ip4set", "$MAXRANGE4 /24\n10.0.0.0/16\n10.1.0.0/24\n$MAXRANGE4 /16\n10.2.0.0/16\n");
        var ds = (Datasets.Ip4.Ip4Dataset)result.Dataset!;
        Assert.Equal("-", ZoneText.Answer(ds, "10.0.1.1"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(ds, "10.1.0.1"));
        Assert.Equal("-", ZoneText.Answer(ds, "10.2.0.1"));
        Assert.Equal(3, result.WarningCount);
    }

    [Fact]
    public void GzipIsReadTransparently()
    {
        string path = _zones.Write("z.gz", "");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write("1.2.3.4 :3:gz\n"u8);
        }
        var result = Datasets.DatasetLoader.Load("ip4set", [path], LoadOptions.Default);
        Assert.Equal("127.0.0.3 gz", ZoneText.Answer((Datasets.Ip4.Ip4Dataset)result.Dataset!, "1.2.3.4"));
        var refused = Datasets.DatasetLoader.Load("ip4set", [path], new LoadOptions { NoGzip = true });
        Assert.False(refused.Succeeded);
    }

    [Fact]
    public void MissingFileFailsTheLoad()
    {
        var result = Datasets.DatasetLoader.Load("ip4set", ["/nonexistent/zone"], LoadOptions.Default);
        Assert.False(result.Succeeded);
        Assert.Contains("/nonexistent/zone", result.Error!.ToString());
    }
}
