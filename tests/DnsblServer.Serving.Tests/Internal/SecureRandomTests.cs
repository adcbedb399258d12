using DnsblServer.Serving.Internal;

namespace DnsblServer.Serving.Tests.Internal;

/// <summary>The secrets' source: filled, different each time (that a served process maps no OpenSSL is checked in Hosting's IdleFootprintTests).</summary>
public sealed class SecureRandomTests
{
    [Fact]
    public void Fills_with_different_bytes_each_call()
    {
        var first = new byte[64];
        var second = new byte[64];
        SecureRandom.Fill(first);
        SecureRandom.Fill(second);
        Assert.False(first.SequenceEqual(second));
        Assert.Contains(first, b => b != 0);
        Assert.NotEqual(SecureRandom.NextUInt64(), SecureRandom.NextUInt64());
    }
}
