using System.Net;
using DnsblServer.Serving.Transport.Proxy;
using static DnsblServer.Serving.Tests.Transport.ProxyHeaders;

namespace DnsblServer.Serving.Tests.Transport;

public sealed class ProxyHeaderTests
{
    public static readonly TheoryData<string, byte[], ProxyHeaderStatus, string?, int> Cases = new()
    {
        // name, bytes, status, client, header length
        { "ipv4 dgram", Proxy("198.51.100.7"), ProxyHeaderStatus.Proxy, "198.51.100.7", 28 },
        { "ipv4 stream", Proxy("198.51.100.7", transport: 1), ProxyHeaderStatus.Proxy, "198.51.100.7", 28 },
        { "ipv4 unspec transport", Proxy("198.51.100.7", transport: 0), ProxyHeaderStatus.Proxy, "198.51.100.7", 28 },
        { "ipv6", Proxy("2001:db8::7"), ProxyHeaderStatus.Proxy, "2001:db8::7", 52 },
        { "tlvs skipped", Proxy("198.51.100.7", tlvs: [0x04, 0x00, 0x02, 0xAB, 0xCD, 0xEE]), ProxyHeaderStatus.Proxy, "198.51.100.7", 34 },
        { "local", Local(), ProxyHeaderStatus.Local, null, 16 },
        { "local with addresses", Raw(0x20, 0x11, new byte[12]), ProxyHeaderStatus.Local, null, 28 },
        { "proxy unspec family", Raw(0x21, 0x00, []), ProxyHeaderStatus.Invalid, null, 0 },
        { "proxy unix", Raw(0x21, 0x31, new byte[216]), ProxyHeaderStatus.Invalid, null, 0 },
        { "version 1 nibble", Raw(0x11, 0x12, new byte[12]), ProxyHeaderStatus.Invalid, null, 0 },
        { "command 2", Raw(0x22, 0x12, new byte[12]), ProxyHeaderStatus.Invalid, null, 0 },
        { "transport 3", Raw(0x21, 0x13, new byte[12]), ProxyHeaderStatus.Invalid, null, 0 },
        { "ipv4 block short", Raw(0x21, 0x12, new byte[11]), ProxyHeaderStatus.Invalid, null, 0 },
        { "ipv6 block short", Raw(0x21, 0x22, new byte[35]), ProxyHeaderStatus.Invalid, null, 0 },
        { "over 528 bytes", Raw(0x21, 0x12, new byte[513]), ProxyHeaderStatus.Invalid, null, 0 },
        { "at 528 bytes", Raw(0x21, 0x12, new byte[512]), ProxyHeaderStatus.Proxy, "0.0.0.0", 528 },
        { "dns query", TestClient.Query(0x1234), ProxyHeaderStatus.Invalid, null, 0 },
        { "v1 text", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"u8.ToArray(), ProxyHeaderStatus.Invalid, null, 0 },
        { "empty", [], ProxyHeaderStatus.Incomplete, null, 0 },
        { "signature only", Proxy("198.51.100.7")[..12], ProxyHeaderStatus.Incomplete, null, 0 },
        { "cut in the address", Proxy("198.51.100.7")[..20], ProxyHeaderStatus.Incomplete, null, 0 },
        { "bad version before the length", Raw(0x31, 0x12, new byte[12])[..13], ProxyHeaderStatus.Invalid, null, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read(string name, byte[] bytes, ProxyHeaderStatus status, string? client, int length)
    {
        ProxyHeader header = ProxyHeader.Read(bytes);

        Assert.True(status == header.Status, $"{name}: {header.Status}");
        Assert.Equal(length, header.Length);
        if (client is not null) Assert.Equal(IPAddress.Parse(client).GetAddressBytes(), header.Source(bytes).ToArray());
        else Assert.Equal(0, header.SourceLength);
    }

    [Fact]
    public void Read_LeavesTheMessageAfterTheHeader()
    {
        byte[] query = TestClient.Query(7);
        byte[] datagram = Concat(Proxy("2001:db8::7", tlvs: [0x01, 0x00, 0x01, 0x68]), query);

        ProxyHeader header = ProxyHeader.Read(datagram);

        Assert.Equal(query, datagram[header.Length..]);
    }

    [Fact]
    public void Read_EveryPrefixOfAValidHeader_IsIncomplete_NeverInvalid()
    {
        byte[] whole = Proxy("198.51.100.7", tlvs: [0x04, 0x00, 0x01, 0x00]);
        for (int cut = 0; cut < whole.Length; cut++)
            Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeader.Read(whole.AsSpan(0, cut)).Status);
    }

    public static readonly TheoryData<string[], string, bool> Trust = new()
    {
        { ["127.0.0.1/32"], "127.0.0.1", true },
        { ["127.0.0.1/32"], "127.0.0.2", false },
        { ["10.0.0.0/8"], "10.200.3.4", true },
        { ["10.0.0.0/8"], "11.0.0.1", false },
        { ["192.0.2.0/25"], "192.0.2.127", true },
        { ["192.0.2.0/25"], "192.0.2.128", false },
        { ["10.0.0.0/8"], "::ffff:10.1.2.3", true },       // a dual-stack socket's IPv4 peer
        { ["::ffff:10.0.0.0/104"], "10.1.2.3", true },     // a mapped prefix is its IPv4 prefix
        { ["2001:db8::/32"], "2001:db8:1::53", true },
        { ["2001:db8::/32"], "2001:db9::53", false },
        { ["2001:db8::/32"], "32.1.13.184", false },        // same first bytes, other family
        { ["0.0.0.0/0"], "203.0.113.1", true },
        { [], "127.0.0.1", false },
    };

    [Theory]
    [MemberData(nameof(Trust))]
    public void ProxyTrust_Contains(string[] prefixes, string peer, bool trusted)
    {
        var trust = ProxyTrust.From([.. prefixes.Select(IPNetwork.Parse)]);

        Assert.Equal(prefixes.Length > 0, trust.Enabled);
        Assert.Equal(trusted, trust.Contains(IPAddress.Parse(peer).GetAddressBytes()));
    }

    [Fact]
    public void Gate_FromATrustedPeer_StripsTheHeaderAndNamesTheClient_ElseDrops()
    {
        var trust = ProxyTrust.From([IPNetwork.Parse("127.0.0.0/8")]);
        byte[] query = TestClient.Query(1);
        byte[] proxy = [127, 0, 0, 1];
        byte[] other = [192, 0, 2, 1];

        Assert.Equal(("198.51.100.7", Hex(query)), Gate(trust, Concat(Proxy("198.51.100.7"), query), proxy, ProxyDrop.None));
        Assert.Equal(("127.0.0.1", Hex(query)), Gate(trust, Concat(Local(), query), proxy, ProxyDrop.None));
        Gate(trust, query, proxy, ProxyDrop.Invalid);                                  // no header from the proxy
        Gate(trust, Proxy("198.51.100.7")[..27], proxy, ProxyDrop.Invalid);            // a cut one
        Gate(trust, Concat(Proxy("198.51.100.7"), query), other, ProxyDrop.Untrusted); // a header from anyone else
        Assert.Equal(("192.0.2.1", Hex(query)), Gate(trust, query, other, ProxyDrop.None));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private static (string Client, string Message) Gate(ProxyTrust trust, byte[] datagram, byte[] peer, ProxyDrop expected)
    {
        ReadOnlySpan<byte> message = datagram, client = peer;
        Assert.Equal(expected, ProxyGate.Unwrap(trust, ref message, ref client));
        return (client.IsEmpty ? "" : new IPAddress(client).ToString(), Convert.ToHexString(message));
    }
}
