using System.Net;
using System.Text;

namespace DnsblServer.Addressing.Tests;

/// <summary>Ip6Text against what rbldnsd 1.0pre (20210120) was observed to accept and print.</summary>
public sealed class Ip6TextTests
{
    // A full address as text (nothing after it).
    private static UInt128 Parse(string text)
    {
        int pos = 0;
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(128, Ip6Text.ParsePrefix(bytes, ref pos, out UInt128 address));
        Assert.Equal(bytes.Length, pos);
        return address;
    }

    // What ParsePrefix reads: "address/bits|rest", or "error".
    [Theory]
    [InlineData("2001:db8:c000", "2001:db8:c000::/48|")]
    [InlineData("2001:db8:1:2", "2001:db8:1:2::/64|")]
    [InlineData("2001", "2001::/16|")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128|")]
    [InlineData("2001:DB8::aBc", "2001:db8::abc/128|")]
    [InlineData("::", "::/128|")]
    [InlineData("::1", "::1/128|")]
    [InlineData("1::", "1::/128|")]
    [InlineData("b:2:3:4:5:6:7::", "b:2:3:4:5:6:7:0/128|")]
    [InlineData("::c:2:3:4:5:6:7", "0:c:2:3:4:5:6:7/128|")]
    [InlineData("00001:2::", "1:2::/128|")]                        // leading zeros, any count
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1/128|")]
    [InlineData("1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8/128|:9")]     // stops after eight groups
    [InlineData("1::2::3", "1::2/128|:3")]                         // a second "::" ends the address
    [InlineData(":::5", "::/128|:5")]
    [InlineData("1:::6", "1::/128|:6")]
    [InlineData("2001:db8::1:", "2001:db8::1/128|")]               // trailing colon accepted with "::"
    [InlineData("2001:db8::13:4:x", "2001:db8::13:4/128|x")]
    [InlineData("2001:db8::1 :3:x", "2001:db8::1/128| :3:x")]
    [InlineData("2001:db8::1#c", "2001:db8::1/128|#c")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1/128|.2.3.4")]
    [InlineData("2001:db8:c000/36", "2001:db8:c000::/48|/36")]
    [InlineData("2001:db8:", "error")]                              // trailing colon without "::"
    [InlineData("2001:db8:1:", "error")]
    [InlineData("1::2:3:4:5:6:7:8", "error")]                       // no room for the zeros
    [InlineData("1:2:3:4:5:6:7::8", "error")]
    [InlineData("::1:2:3:4:5:6:7:8", "error")]
    [InlineData("12345::", "error")]                                // a group over 16 bits
    [InlineData("2001:db8::fffff", "2001:db8::/128|f")]              // the caller refuses the "f" left over
    [InlineData("g::", "error")]
    [InlineData("", "error")]
    [InlineData(":", "error")]
    public void ParsePrefixReadsLikeIp6prefix(string text, string expected)
    {
        byte[] s = Encoding.ASCII.GetBytes(text);
        int pos = 0;
        int bits = Ip6Text.ParsePrefix(s, ref pos, out UInt128 address);
        string actual = bits < 0 ? "error" : $"{Ip6Text.ToText(address)}/{bits}|{text[pos..]}";
        Assert.Equal(expected, actual);
    }

    // What TryParseCidr reads: "address/bits|rest", or "error".
    [Theory]
    [InlineData("2001:db8:c000/36", "2001:db8:c000::/36|")]
    [InlineData("2001:db8::/32 :3", "2001:db8::/32| :3")]
    [InlineData("2001/16", "2001::/16|")]
    [InlineData("0/0", "::/0|")]
    [InlineData("::/0", "::/0|")]
    [InlineData("2001:db8:1::/0128", "2001:db8:1::/128|")]
    [InlineData("2001:db8::/32:3:x", "2001:db8::/32|:3:x")]
    [InlineData("2001:db8:1:2", "2001:db8:1:2::/64|")]
    [InlineData("2001", "error")]                                    // a bare group needs /len
    [InlineData("2001 :3", "error")]
    [InlineData("2001:db8::/129", "error")]
    [InlineData("2001:db8::/", "error")]
    [InlineData("2001:db8::/ 3", "error")]
    [InlineData("::/", "error")]
    public void TryParseCidrReadsLikeIp6cidr(string text, string expected)
    {
        byte[] s = Encoding.ASCII.GetBytes(text);
        int pos = 0;
        string actual = Ip6Text.TryParseCidr(s, ref pos, out UInt128 address, out int bits)
            ? $"{Ip6Text.ToText(address)}/{bits}|{text[pos..]}"
            : "error";
        Assert.Equal(expected, actual);
    }

    // Each pair was observed as the TXT "$" of rbldnsd for the queried address.
    [Theory]
    [InlineData("1:0:0:4:0:0:0:8", "1:0:0:4::8")]                  // the longest zero run
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]       // the first of equal runs
    [InlineData("1:0:0:0:1:0:0:0", "1::1:0:0:0")]
    [InlineData("0:0:0:1:0:0:0:0", "0:0:0:1::")]
    [InlineData("1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0")]             // a single zero group stays
    [InlineData("1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0")]
    [InlineData("0:2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
    [InlineData("0:0:3:4:5:6:7:8", "::3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:0:0", "1:2:3:4:5:6::")]
    [InlineData("0:0:0:0:0:ffff:102:304", "::ffff:102:304")]       // no dotted tail
    [InlineData("0:0:0:0:0:0:102:304", "::102:304")]
    [InlineData("1:0:0:0:0:0:0:0", "1::")]
    [InlineData("0:0:0:0:0:0:0:0", "::")]
    [InlineData("0:0:0:0:0:0:0:1", "::1")]
    [InlineData("ABCD:EF01:2345:6789:abcd:ef01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:c000:0:0:0:0:1", "2001:db8:c000::1")]
    public void FormatWritesLikeIp6atos(string full, string expected)
    {
        UInt128 address = Parse(full);
        Assert.Equal(expected, Ip6Text.ToText(address));
        Span<byte> buffer = stackalloc byte[Ip6Text.MaxTextLength];
        Assert.Equal(expected.Length, Ip6Text.Format(address, buffer));
    }

    [Fact]
    public void RandomAddressesRoundTripAndAgreeWithRfc5952()
    {
        var random = new Random(6);
        Span<byte> buffer = stackalloc byte[Ip6Text.MaxTextLength];
        for (int i = 0; i < 20000; i++)
        {
            // Few distinct groups, many zeros: every compression case comes up.
            UInt128 address = 0;
            for (int g = 0; g < 8; g++)
            {
                ulong group = random.Next(3) switch { 0 => 0, 1 => (ulong)random.Next(1, 16), _ => (ulong)random.Next(0x10000) };
                address = (address << 16) | group;
            }
            int n = Ip6Text.Format(address, buffer);
            string text = Encoding.ASCII.GetString(buffer[..n]);
            int pos = 0;
            Assert.Equal(128, Ip6Text.ParsePrefix(buffer[..n], ref pos, out UInt128 back));
            Assert.Equal(n, pos);
            Assert.Equal(address, back);
            // .NET writes RFC 5952 too, except for the IPv4-compatible and -mapped forms it gives a dotted tail.
            if (address >> 48 != 0)
            {
                Assert.Equal(new IPAddress(ToBytes(address)).ToString(), text);
            }
        }
    }

    [Fact]
    public void MaskAndHostBits()
    {
        UInt128 net = Parse("2001:db8:c000::");
        Assert.False(Ip6Text.HasHostBits(net, 36));
        Assert.False(Ip6Text.HasHostBits(net, 34));
        Assert.True(Ip6Text.HasHostBits(net, 33));
        Assert.True(Ip6Text.HasHostBits(Parse("2001::"), 0));
        Assert.False(Ip6Text.HasHostBits(UInt128.MaxValue, 128));
        Assert.Equal(UInt128.Zero, Ip6Text.Mask(0));
        Assert.Equal(UInt128.MaxValue, Ip6Text.Mask(128));
        Assert.Equal((UInt128)ulong.MaxValue << 64, Ip6Text.Mask(64));
        Assert.Equal(Parse("2001:db8:c000::"), Parse("2001:db8:cfff::1") & Ip6Text.Mask(36));
    }

    private static byte[] ToBytes(UInt128 address)
    {
        var bytes = new byte[16];
        for (int i = 0; i < 16; i++) bytes[i] = (byte)(address >> (120 - 8 * i));
        return bytes;
    }
}
