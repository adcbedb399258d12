namespace DnsblServer.Zones.Tests;

public sealed class Ip4TrieTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Fact]
    public void LongestPrefixFirstDuplicateExclusions()
    {
        // The trie observations in the behaviour notes (§5.4).
        var result = _zones.LoadResult("ip4trie", """
            10.0.0.0/8 :2:eight
            10.1.0.0/16 :3
            10.1.2.0/23 :4
            10.1.2.128/25
            !10.1.2.200
            10.1.3.3 :5:host
            10.1.3.3 :6
            0.0.0.0/0 :9

            """);
        var ds = (Datasets.Ip4.Ip4Dataset)result.Dataset!;
        Assert.Equal("127.0.0.2 eight", ZoneText.Answer(ds, "10.9.9.9"));
        Assert.Equal("127.0.0.3", ZoneText.Answer(ds, "10.1.9.9"));
        Assert.Equal("127.0.0.4", ZoneText.Answer(ds, "10.1.3.200"));
        Assert.Equal("127.0.0.2", ZoneText.Answer(ds, "10.1.2.130"));
        Assert.Equal("-", ZoneText.Answer(ds, "10.1.2.200"));
        Assert.Equal("127.0.0.5 host", ZoneText.Answer(ds, "10.1.3.3"));
        Assert.Equal("127.0.0.9", ZoneText.Answer(ds, "192.0.2.1"));
        var duplicate = Assert.Single(result.Warnings);
        Assert.Equal(7, duplicate.Line);
        Assert.Contains("duplicated entry for 10.1.3.3/32", duplicate.Message);
    }

    [Theory]
    [InlineData("10.3", "10.3.4.5", "127.0.0.2")]
    [InlineData("127.0.0", "127.0.0.9", "127.0.0.2")]
    [InlineData("10", "10.0.0.1", "-")]
    [InlineData("10.0.0.1-10.0.0.5", "10.0.0.1", "-")]
    [InlineData("10.4.0.1/24", "10.4.0.1", "-")]
    public void Keys(string line, string query, string expected)
    {
        Assert.Equal(expected, ZoneText.Answer(_zones.Load("ip4trie", line + "\n"), query));
    }
}

public sealed class Ip4TSetTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    [Fact]
    public void OneValueForTheDatasetFirstLineWins()
    {
        var ds = _zones.LoadFiles("ip4tset", "1.1.1.1 :9:ignored\n:3:three $\n:4:four\n", "2.2.2.2\n10.1\n!3.3.3.3\n4.4.4.4/32\n");
        Assert.Equal("127.0.0.3 three 1.1.1.1", ZoneText.Answer(ds, "1.1.1.1"));
        Assert.Equal("127.0.0.3 three 2.2.2.2", ZoneText.Answer(ds, "2.2.2.2"));
        Assert.Equal("-", ZoneText.Answer(ds, "10.1.0.0"));
        Assert.Equal("-", ZoneText.Answer(ds, "3.3.3.3"));
        Assert.Equal("-", ZoneText.Answer(ds, "4.4.4.4"));
    }

    [Fact]
    public void DefaultWithoutValueLine()
    {
        Assert.Equal("127.0.0.2", ZoneText.Answer(_zones.Load("ip4tset", "5.5.5.5\n"), "5.5.5.5"));
    }
}
