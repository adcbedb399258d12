using DnsblServer.Serving.Cookies.Internal;

namespace DnsblServer.Serving.Tests.Cookies;

/// <summary>SipHash-2-4 against the reference vectors (the paper's Appendix A and the reference code's vectors.h).</summary>
public sealed class SipHash24Tests
{
    // key 00 01 .. 0f; message 00 01 .. (length - 1)
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(1, 0x74f839c593dc67fdUL)]
    [InlineData(7, 0xab0200f58b01d137UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]   // the paper's worked example
    [InlineData(16, 0x3f2acc7f57c29bdbUL)]
    [InlineData(63, 0x958a324ceb064572UL)]
    public void ReferenceVectors(int length, ulong expected)
    {
        byte[] key = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];
        byte[] message = [.. Enumerable.Range(0, length).Select(i => (byte)i)];
        ulong k0 = BitConverter.ToUInt64(key, 0), k1 = BitConverter.ToUInt64(key, 8); // little-endian host
        Assert.Equal(expected, SipHash24.Hash(k0, k1, message));
    }

    [Fact]
    public void EveryKeyAndMessageBitMatters()
    {
        byte[] message = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        ulong h = SipHash24.Hash(1, 2, message);
        Assert.NotEqual(h, SipHash24.Hash(1, 3, message));
        Assert.NotEqual(h, SipHash24.Hash(0, 2, message));
        message[8] ^= 0x80;
        Assert.NotEqual(h, SipHash24.Hash(1, 2, message));
        Assert.NotEqual(h, SipHash24.Hash(1, 2, message.AsSpan(0, 8)));
    }
}
