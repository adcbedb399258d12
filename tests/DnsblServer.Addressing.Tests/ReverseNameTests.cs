namespace DnsblServer.Addressing.Tests;

/// <summary>Reversed query names (<c>4.3.2.1.zone</c>, IPv6 nibbles) read as addresses, as rbldnsd reads them.</summary>
public sealed class ReverseNameTests
{
    // The name in wire form and the offset of each label (the name is ASCII, labels under 64 bytes).
    private static (byte[] Name, byte[] Starts) Wire(string name)
    {
        var wire = new List<byte>();
        var starts = new List<byte>();
        foreach (string label in name.Split('.'))
        {
            starts.Add((byte)wire.Count);
            wire.Add((byte)label.Length);
            wire.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        wire.Add(0);
        return ([.. wire], [.. starts]);
    }

    [Theory]
    [InlineData("4.3.2.1", true, "1.2.3.4")]
    [InlineData("004.03.2.1", true, "1.2.3.4")]
    [InlineData("256.3.2.1", false, "")]
    [InlineData("0004.3.2.1", false, "")]
    [InlineData("a.3.2.1", false, "")]
    [InlineData("3.2.1", false, "")]
    [InlineData("5.4.3.2.1", false, "")]
    public void ReverseIp4(string labels, bool ok, string expected)
    {
        var (name, starts) = Wire(labels + ".zone");
        Assert.Equal(ok, ReverseName.TryParseIp4(name, starts, starts.Length - 1, out uint address));
        if (ok) Assert.Equal(expected, Ip4Text.ToText(address));
    }

    [Fact]
    public void ReverseIp6AndEmbeddedIp4()
    {
        // 2002:7f00:0002::1 -> 6to4 of 127.0.0.2
        string nibbles = string.Join('.', "20027f00000200000000000000000001".Reverse().Select(c => c.ToString()));
        var (name, starts) = Wire(nibbles + ".zone");
        Assert.True(ReverseName.TryParseIp6(name, starts, 32, out UInt128 address));
        Assert.True(ReverseName.TryGetEmbeddedIp4(address, out uint ip4));
        Assert.Equal("127.0.0.2", Ip4Text.ToText(ip4));
        Assert.True(ReverseName.TryGetEmbeddedIp4(((UInt128)0xffff << 32) | 0x0a000001, out ip4));
        Assert.Equal("10.0.0.1", Ip4Text.ToText(ip4));
        Assert.False(ReverseName.TryGetEmbeddedIp4(1, out _));
    }
}
