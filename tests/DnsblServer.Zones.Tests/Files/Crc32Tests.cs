using System.Text;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests.Files;

public sealed class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void MatchesTheGzipCrc(string text, uint expected) =>
        Assert.Equal(expected, Crc32.Append(0, Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void AppendingInPiecesIsTheSame()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        Assert.Equal(0x414FA339u, Crc32.Append(Crc32.Append(0, data.AsSpan(0, 13)), data.AsSpan(13)));
    }
}
