using System.Net;
using ARSoft.Tools.Net.Dns;
using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

public class ResponseWriterAnswerTests
{
    private static readonly byte[] NsNames = Names("ns1.t.example", "ns2.example.net");

    [Fact]
    public void Positive_answer_echoes_the_query_case_and_decodes()
    {
        byte[] request = Query("2.0.0.127.T.Example", type: DnsType.ANY, flags1: 0x01, flags2: 0x30, id: 0x4242);
        var offsets = new byte[128];
        QueryReader.Read(request, new byte[255], offsets, out DnsQuery q);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        w.SetAuthoritative(true);
        w.SetZoneApex(q.GetSuffixOffset(offsets, 2));
        Assert.True(w.TryAddA(0x7F000002, 2100));
        Assert.True(w.TryAddTxt(Render(Ascii("Listed $"), Ascii("127.0.0.2")), 2100));
        Assert.True(w.TryAddNs(DnsSection.Authority, NsNames, 0, 3600, [new GlueAddress(0, 0xC0000235, 3000)]));
        int length = w.Finish();

        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal(0x4242, m.TransactionID);
        Assert.False(m.IsQuery);
        Assert.True(m.IsAuthoritiveAnswer);
        Assert.True(m.IsRecursionDesired);
        Assert.False(m.IsRecursionAllowed);
        Assert.False(m.IsTruncated);
        Assert.False(m.IsAuthenticData);
        Assert.False(m.IsCheckingDisabled);
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
        Assert.Equal("2.0.0.127.T.Example.", m.Questions.Single().Name.ToString());

        Assert.Collection(
            m.AnswerRecords,
            r =>
            {
                var a = Assert.IsType<ARecord>(r);
                Assert.Equal("2.0.0.127.T.Example.", a.Name.ToString());
                Assert.Equal(IPAddress.Parse("127.0.0.2"), a.Address);
                Assert.Equal(2100, a.TimeToLive);
            },
            r =>
            {
                var txt = Assert.IsType<TxtRecord>(r);
                Assert.Equal("Listed 127.0.0.2", txt.TextData);
                Assert.Equal(2100, txt.TimeToLive);
            });
        Assert.Collection(
            m.AuthorityRecords,
            r => Assert.Equal(("T.Example.", "ns1.T.Example.", 3600), Ns(r)),
            r => Assert.Equal(("T.Example.", "ns2.example.net.", 3600), Ns(r)));
        var glue = Assert.IsType<ARecord>(Assert.Single(m.AdditionalRecords));
        Assert.Equal("ns1.T.Example.", glue.Name.ToString());
        Assert.Equal(IPAddress.Parse("192.0.2.53"), glue.Address);
        Assert.Equal(3000, glue.TimeToLive);
    }

    [Fact]
    public void Mx_raw_and_suffix_owned_records_decode()
    {
        byte[] request = Query("www.T.example", type: DnsType.ANY);
        var offsets = new byte[128];
        QueryReader.Read(request, new byte[255], offsets, out DnsQuery q);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        Assert.True(w.TryAddMx(10, Name("mail.example.net"), 300));
        Assert.True(w.TryAddRecord(DnsType.AAAA, IPAddress.Parse("2001:db8::1").GetAddressBytes(), 300));
        Assert.True(w.TryAddA(0x0A000001, 60, ownerOffset: q.GetSuffixOffset(offsets, 2)));
        int length = w.Finish();

        DnsMessage m = Decode(buffer.AsSpan(0, length));
        var mx = Assert.IsType<MxRecord>(m.AnswerRecords[0]);
        Assert.Equal(("www.T.example.", (ushort)10, "mail.example.net."), (mx.Name.ToString(), mx.Preference, mx.ExchangeDomainName.ToString()));
        var aaaa = Assert.IsType<AaaaRecord>(m.AnswerRecords[1]);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), aaaa.Address);
        var a = Assert.IsType<ARecord>(m.AnswerRecords[2]);
        Assert.Equal("T.example.", a.Name.ToString());
        Assert.False(m.IsAuthoritiveAnswer);
    }

    [Fact]
    public void Version_bind_answer_is_chaos_txt_with_ttl_0()
    {
        byte[] request = Query("version.BIND", type: DnsType.TXT, @class: DnsClass.CH, flags2: 0x20);
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        w.EchoRequestFlags2(q);
        Assert.True(w.TryAddVersionTxt(Ascii("rbldnsd 1.0pre (snapshot 20210120)")));
        int length = w.Finish();

        DnsMessage m = Decode(buffer.AsSpan(0, length));
        var txt = Assert.IsType<TxtRecord>(Assert.Single(m.AnswerRecords));
        Assert.Equal(RecordClass.Chaos, txt.RecordClass);
        Assert.Equal(0, txt.TimeToLive);
        Assert.Equal("version.BIND.", txt.Name.ToString());
        Assert.Equal("rbldnsd 1.0pre (snapshot 20210120)", txt.TextData);
        Assert.False(m.IsAuthoritiveAnswer);
        Assert.True(m.IsAuthenticData); // echoed, as rbldnsd does
    }

    public static TheoryData<string, byte, bool, DnsRcode, ReturnCode> ErrorShapes => new()
    {
        // because, query flags1, clear RD, rcode, decoded
        { "NOTIMP for an opcode: flags = QR only", 0x11, true, DnsRcode.NotImp, ReturnCode.NotImplemented },
        { "NOTIMP for a QTYPE keeps RD", 0x01, false, DnsRcode.NotImp, ReturnCode.NotImplemented },
        { "REFUSED", 0x01, false, DnsRcode.Refused, ReturnCode.Refused },
        { "SERVFAIL", 0x00, false, DnsRcode.ServFail, ReturnCode.ServerFailure },
        { "FORMERR", 0x01, false, DnsRcode.FormErr, ReturnCode.FormatError },
    };

    [Theory]
    [MemberData(nameof(ErrorShapes))]
    public void Error_replies_carry_only_the_question(string because, byte flags1, bool clearRd, DnsRcode rcode, ReturnCode decoded)
    {
        byte[] request = Query("2.0.0.127.t.example", flags1: flags1, flags2: 0xB0);
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        if (clearRd)
        {
            w.ClearRecursionDesired();
        }

        w.SetRcode(rcode);
        int length = w.Finish();

        Assert.True(length == q.QuestionEnd, because);
        Assert.Equal(clearRd ? 0x80 : 0x80 | (flags1 & 1), buffer[2]);
        Assert.Equal((int)rcode, buffer[3]);
        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal(decoded, m.ReturnCode);
        Assert.Equal(OperationCode.Query, m.OperationCode);
        Assert.Single(m.Questions);
        Assert.Empty(m.AnswerRecords);
    }

    [Fact]
    public void Reply_can_be_written_over_its_own_request()
    {
        byte[] buffer = new byte[512];
        byte[] request = Query("2.0.0.127.T.example", ednsPayload: 1232);
        request.CopyTo(buffer, 0);
        DnsQuery q = Read(request);

        var w = new ResponseWriter(buffer);
        w.Begin(buffer.AsSpan(0, request.Length), q);
        w.TryAddA(0x7F000002, 60);
        int length = w.Finish();

        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal("2.0.0.127.T.example.", m.AnswerRecords.Single().Name.ToString());
        Assert.Empty(m.AdditionalRecords);
    }

    [Fact]
    public void Records_must_come_in_section_order()
    {
        byte[] request = Query("t.example");
        DnsQuery q = Read(request);
        var buffer = new byte[512];
        bool threw = false;
        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        w.TryAddNs(DnsSection.Authority, NsNames, 0, 60);
        try
        {
            w.TryAddA(1, 60);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    private static (string Owner, string Target, int Ttl) Ns(DnsRecordBase record)
    {
        var ns = Assert.IsType<NsRecord>(record);
        return (ns.Name.ToString(), ns.NameServer.ToString(), ns.TimeToLive);
    }
}
