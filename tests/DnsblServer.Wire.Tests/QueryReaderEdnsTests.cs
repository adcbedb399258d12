using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

public class QueryReaderEdnsTests
{
    // An A RR with a compressed owner (pointer to the question), as a client could put in ANSWER/AUTHORITY/ADDITIONAL.
    private static readonly byte[] PointerOwnedA = [0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2];

    public static TheoryData<string, byte[], QueryReadStatus, int?, int?> Shapes => new()
    {
        // because, packet, status, rbldnsd payload (null = not honoured), RFC payload (null = absent)
        { "no EDNS", Query("t.example"), QueryReadStatus.Ok, null, null },
        { "OPT right after the question", Query("t.example", ednsPayload: 4096), QueryReadStatus.Ok, 4096, 4096 },
        {
            "OPT after an AUTHORITY RR: NSCOUNT ≠ 0",
            Query("t.example", after: [.. PointerOwnedA, .. Opt(1232)], counts: (1, 0, 1, 1)),
            QueryReadStatus.Ok, null, 1232
        },
        {
            "OPT then another additional RR: ARCOUNT = 2",
            Query("t.example", after: [.. Opt(1400), .. PointerOwnedA], counts: (1, 0, 0, 2)),
            QueryReadStatus.Ok, null, 1400 // rbldnsd needs ARCOUNT == 1 exactly
        },
        {
            "OPT second in ADDITIONAL",
            Query("t.example", after: [.. PointerOwnedA, .. Opt(1400)], counts: (1, 0, 0, 2)),
            QueryReadStatus.Ok, null, 1400
        },
        {
            "OPT after an ANSWER RR",
            Query("t.example", after: [.. PointerOwnedA, .. Opt(900)], counts: (1, 1, 0, 1)),
            QueryReadStatus.Ok, null, 900
        },
        {
            "two OPT RRs",
            Query("t.example", after: [.. Opt(1232), .. Opt(1232)], counts: (1, 0, 0, 2)),
            QueryReadStatus.FormatError, null, 1232
        },
        {
            "OPT with a non-root owner",
            Query("t.example", after: [0xC0, 0x0C, .. Opt(1232)[1..]], counts: (1, 0, 0, 1)),
            QueryReadStatus.FormatError, null, null
        },
        {
            "OPT option longer than RDATA",
            Query("t.example", after: Opt(1232, rdata: [0, 10, 0, 5, 1, 2]), counts: (1, 0, 0, 1)),
            QueryReadStatus.FormatError, 1232, null
        },
        {
            "OPT with a well-formed cookie option",
            Query("t.example", after: Opt(1232, rdata: [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]), counts: (1, 0, 0, 1)),
            QueryReadStatus.Ok, 1232, 1232
        },
        {
            "ARCOUNT 1 but only 6 bytes of OPT: rbldnsd reads the size anyway",
            Query("t.example", after: Opt(1024)[..6], counts: (1, 0, 0, 1)),
            QueryReadStatus.FormatError, 1024, null
        },
        {
            "ARCOUNT 1 but nothing follows",
            Query("t.example", counts: (1, 0, 0, 1)),
            QueryReadStatus.FormatError, null, null
        },
        {
            "ANCOUNT 1 with a bad label type",
            Query("t.example", after: [0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0], counts: (1, 1, 0, 0)),
            QueryReadStatus.FormatError, null, null
        },
        {
            "question name of 250 bytes: past rbldnsd's bound, still RFC EDNS",
            Query($"{new string('a', 63)}.{new string('a', 63)}.{new string('a', 63)}.{new string('b', 56)}", ednsPayload: 1232),
            QueryReadStatus.Ok, null, 1232
        },
        {
            "question name of 249 bytes: rbldnsd honours it",
            Query($"{new string('a', 63)}.{new string('a', 63)}.{new string('a', 63)}.{new string('b', 55)}", ednsPayload: 1232),
            QueryReadStatus.Ok, 1232, 1232
        },
        { "trailing garbage after the counted RRs is ignored", Query("t.example", after: [1, 2, 3]), QueryReadStatus.Ok, null, null },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Reads_edns_both_ways(string because, byte[] packet, QueryReadStatus status, int? rbldnsd, int? rfc)
    {
        var actual = QueryReader.Read(packet, new byte[255], new byte[128], out DnsQuery q);

        Assert.True(status == actual, $"{because}: {actual}");
        Assert.True((rbldnsd is not null) == q.RbldnsdEdns.Present, because);
        Assert.Equal(rbldnsd ?? 0, q.RbldnsdEdns.UdpPayloadSize);
        Assert.True((rfc is not null) == q.Edns.Present, because);
        Assert.Equal(rfc ?? 0, q.Edns.UdpPayloadSize);
    }

    [Fact]
    public void Reads_opt_ttl_fields()
    {
        DnsQuery q = Read(Query("t.example", after: Opt(600, extRcode: 3, version: 1, flags: 0x8000), counts: (1, 0, 0, 1)));

        Assert.True(q.Edns.Present);
        Assert.Equal(12 + 11 + 4, q.Edns.OptOffset);
        Assert.Equal(3, q.Edns.ExtendedRcode);
        Assert.Equal(1, q.Edns.Version);
        Assert.True(q.Edns.DnssecOk);
        Assert.Equal(600, q.Edns.EffectivePayloadSize);
    }

    [Theory]
    [InlineData(null, 512)]
    [InlineData(100, 512)]
    [InlineData(512, 512)]
    [InlineData(1232, 1232)]
    public void Effective_payload_is_at_least_512(int? payload, int expected)
    {
        DnsQuery q = Read(Query("t.example", ednsPayload: payload));
        Assert.Equal(expected, q.Edns.EffectivePayloadSize);
    }

    [Theory]
    [InlineData(null, 512)]
    [InlineData(0, 512)]
    [InlineData(100, 512)]
    [InlineData(522, 512)]
    [InlineData(523, 512)]
    [InlineData(524, 513)]
    [InlineData(1232, 1221)]
    [InlineData(2037, 2026)]
    [InlineData(2038, 2037)] // rbldnsd's step: sizes above 2037 give 2037, not 2048 − 11 − 11
    [InlineData(4096, 2037)]
    [InlineData(65535, 2037)]
    public void Rbldnsd_answer_limit(int? payload, int expected)
    {
        DnsQuery q = Read(Query("t.example", ednsPayload: payload));
        Assert.Equal(expected, q.RbldnsdEdns.AnswerLimit);
    }
}
