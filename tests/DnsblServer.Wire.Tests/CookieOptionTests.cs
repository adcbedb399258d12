using System.Buffers.Binary;
using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

/// <summary>The COOKIE option (RFC 7873): where the reader finds it, and the writer's OPT RR that carries one.</summary>
public class CookieOptionTests
{
    private static byte[] Option(ushort code, params byte[] data) =>
        [(byte)(code >> 8), (byte)code, (byte)(data.Length >> 8), (byte)data.Length, .. data];

    private static readonly byte[] ClientCookie = [1, 2, 3, 4, 5, 6, 7, 8];

    public static TheoryData<string, byte[], int> Options => new()
    {
        // because, OPT RDATA, expected cookie length (-1 = none)
        { "no options", [], -1 },
        { "a lone client cookie", Option(10, ClientCookie), 8 },
        { "after NSID and padding", [.. Option(3), .. Option(12, 0, 0, 0), .. Option(10, [.. ClientCookie, .. new byte[16]])], 24 },
        { "an empty cookie", Option(10), 0 },
        { "the first of two", [.. Option(10, ClientCookie), .. Option(10, new byte[24])], 8 },
        { "other options only", [.. Option(8, 0, 1, 24, 0, 192, 0, 2)], -1 },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void TheReaderNotesWhereTheCookieIs(string because, byte[] rdata, int length)
    {
        byte[] packet = Query("t.example", after: Opt(1232, rdata: rdata), counts: (1, 0, 0, 1));
        Assert.Equal(QueryReadStatus.Ok, QueryReader.Read(packet, new byte[255], new byte[128], out var q));
        Assert.Equal(length >= 0, q.Edns.HasCookie);
        if (length < 0) return;
        Assert.Equal(length, q.Edns.CookieLength);
        int optionAt = q.Edns.CookieOffset - 4;
        Assert.Equal(10, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(optionAt)));
        Assert.Equal(packet.AsSpan(q.Edns.CookieOffset, length).ToArray(), q.Edns.Cookie(packet).ToArray());
        Assert.True(because.Length > 0);
    }

    [Fact]
    public void ACookieRunningPastTheOptIsAFormatError()
    {
        byte[] rdata = [0, 10, 0, 24, .. ClientCookie]; // says 24 bytes, has 8
        byte[] packet = Query("t.example", after: Opt(1232, rdata: rdata), counts: (1, 0, 0, 1));
        Assert.Equal(QueryReadStatus.FormatError, QueryReader.Read(packet, new byte[255], new byte[128], out _));
    }

    [Fact]
    public void TheWriterPutsTheCookieInTheOptWhichStaysLast()
    {
        byte[] packet = Query("t.example", ednsPayload: 4096);
        QueryReader.Read(packet, new byte[255], new byte[128], out var q);
        var reply = new byte[512];
        var w = new ResponseWriter(reply);
        w.Begin(packet, q, 512, OverflowPolicy.SetTruncated, reserveOpt: true, reserveCookie: true);
        w.TryAddA(0x7F000002, 60);
        byte[] cookie = [.. ClientCookie, .. Enumerable.Range(0x10, 16).Select(i => (byte)i)];
        int length = w.FinishWithOpt(1232, cookie);

        int opt = w.OptOffset;
        Assert.Equal(q.QuestionEnd + 16, opt);
        Assert.Equal(opt + ResponseWriter.OptRecordSize + ResponseWriter.CookieOptionSize, length);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(10)));          // ARCOUNT: the OPT
        Assert.Equal(28, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(opt + 9)));    // RDLENGTH
        Assert.Equal([0, 10, 0, 24, .. cookie], reply.AsSpan(opt + 11, 28).ToArray());

        // and the reader reads it back from the reply
        reply[2] &= 0x7F; // as if it were a query
        Assert.Equal(QueryReadStatus.Ok, QueryReader.Read(reply.AsSpan(0, length), new byte[255], new byte[128], out var back));
        Assert.Equal(cookie, back.Edns.Cookie(reply).ToArray());
    }

    [Fact]
    public void TheReservedRoomKeepsRecordsOutOfTheCookiesPlace()
    {
        byte[] packet = Query("t.example", ednsPayload: 512);
        QueryReader.Read(packet, new byte[255], new byte[128], out var q);
        var reply = new byte[512];
        var w = new ResponseWriter(reply);
        w.Begin(packet, q, 512, OverflowPolicy.SetTruncated, reserveOpt: true, reserveCookie: true);
        for (uint i = 0; !w.AnswerIsFull && w.TryAddA(0x7F000000 + i, 60); i++) { }
        int length = w.FinishWithOpt(1232, new byte[24]);
        Assert.True(length <= 512);
        Assert.Equal(length - 39, w.OptOffset);
        Assert.Equal(28, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(w.OptOffset + 9)));
    }
}
