using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

public class ResponseWriterAuthorityTests
{
    private static readonly SoaTimers Timers = new(2024010201, 600, 300, 86400, 120);

    [Fact]
    public void Nxdomain_with_soa_in_authority_decodes()
    {
        byte[] request = Query("3.3.3.3.BL.Example", flags1: 0);
        var offsets = new byte[128];
        QueryReader.Read(request, new byte[255], offsets, out DnsQuery q);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        w.SetAuthoritative(true);
        w.SetRcode(DnsRcode.NxDomain);
        w.SetZoneApex(q.GetSuffixOffset(offsets, 2));
        Assert.True(w.TryAddSoa(DnsSection.Authority, Timers.Minimum, Name("ns1.bl.example"), Name("hostmaster.bl.example"), Timers));
        int length = w.Finish();

        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal(ReturnCode.NxDomain, m.ReturnCode);
        Assert.True(m.IsAuthoritiveAnswer);
        Assert.False(m.IsRecursionDesired);
        Assert.Empty(m.AnswerRecords);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(m.AuthorityRecords));
        Assert.Equal("BL.Example.", soa.Name.ToString());
        Assert.Equal("ns1.BL.Example.", soa.MasterName.ToString()); // compressed against the apex in the question
        Assert.Equal("hostmaster.BL.Example.", soa.ResponsibleName.ToString());
        Assert.Equal((2024010201u, 600, 300, 86400, 120), (soa.SerialNumber, soa.RefreshInterval, soa.RetryInterval, soa.ExpireInterval, soa.NegativeCachingTTL));
        Assert.Equal(120, soa.TimeToLive);

        // owner 2 + fixed 10 + "ns1" 4 + pointer 2 + "hostmaster" 11 + pointer 2 + 20
        Assert.Equal(q.QuestionEnd + 51, length);
    }

    [Fact]
    public void Apex_soa_and_ns_in_answer_decode_with_rotation()
    {
        byte[] request = Query("T.Example", type: DnsType.ANY);
        var offsets = new byte[128];
        QueryReader.Read(request, new byte[255], offsets, out DnsQuery q);
        var buffer = new byte[512];
        byte[] names = Names("a.ns.example.net", "b.ns.example.net", "ns.t.example");

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        w.SetZoneApex(q.GetSuffixOffset(offsets, 2));
        Assert.True(w.TryAddSoa(DnsSection.Answer, 3600, Name("a.ns.example.net"), Name("hostmaster.example.net"), Timers));
        Assert.True(w.TryAddNs(DnsSection.Answer, names, 4, 7200)); // 4 mod 3 = 1: b, ns.t, a
        Assert.True(w.TryAddNs(DnsSection.Authority, names, 0, 7200, [new(2, 0x0A000001, 60), new(0, 0x0A000002, 60)]));
        int length = w.Finish();

        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal(4, m.AnswerRecords.Count);
        var soa = Assert.IsType<SoaRecord>(m.AnswerRecords[0]);
        Assert.Equal(("T.Example.", "a.ns.example.net.", "hostmaster.example.net.", 3600), (soa.Name.ToString(), soa.MasterName.ToString(), soa.ResponsibleName.ToString(), soa.TimeToLive));
        Assert.Equal(
            ["b.ns.example.net.", "ns.T.Example.", "a.ns.example.net."],
            m.AnswerRecords.Skip(1).Select(r => ((NsRecord)r).NameServer.ToString()));
        Assert.Equal(
            ["a.ns.example.net.", "b.ns.example.net.", "ns.T.Example."],
            m.AuthorityRecords.Select(r => ((NsRecord)r).NameServer.ToString()));
        Assert.All(m.AuthorityRecords, r => Assert.Equal(("T.Example.", 7200), (r.Name.ToString(), r.TimeToLive)));
        Assert.Equal(
            ["ns.T.Example. 10.0.0.1", "a.ns.example.net. 10.0.0.2"],
            m.AdditionalRecords.Select(r => $"{r.Name} {((ARecord)r).Address}"));
    }

    [Fact]
    public void Each_block_compresses_only_against_the_question_and_itself()
    {
        // rbldnsd precomputes the SOA and the NS set separately: the second "example.net" is not a pointer into the SOA.
        byte[] request = Query("t.example", type: DnsType.ANY);
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        w.TryAddSoa(DnsSection.Answer, 60, Name("ns1.example.net"), Name("h.example.net"), Timers);
        int soaEnd = w.Length;
        w.TryAddNs(DnsSection.Answer, Names("ns1.example.net", "ns2.example.net"), 0, 60);

        // NS 1: owner 2, fixed 10, full name 17; NS 2: owner 2, fixed 10, "ns2" 4 + pointer 2.
        Assert.Equal(soaEnd + 29 + 18, w.Length);
        int secondTarget = soaEnd + 29 + 12;
        Assert.Equal(0xC000 | (soaEnd + 12 + 4), BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(secondTarget + 4)));
        Assert.Equal(["ns1.example.net.", "ns2.example.net."], Decode(buffer.AsSpan(0, w.Length)).AnswerRecords.Skip(1).Select(r => ((NsRecord)r).NameServer.ToString()));
    }

    public static TheoryData<string, int, bool, int, int, bool> NsFits => new()
    {
        // because, room after the question, result, NS count, glue count, other-overflow flag
        { "NS and glue fit", 100, true, 2, 1, false },
        { "NS fit, glue does not: NS alone", 60, true, 2, 0, true },
        { "not even NS fit", 30, false, 0, 0, true },
    };

    [Theory]
    [MemberData(nameof(NsFits))]
    public void Ns_falls_back_to_no_glue_then_to_nothing(string because, int room, bool result, int ns, int glue, bool overflow)
    {
        byte[] request = Query("2.0.0.127.t.example");
        var offsets = new byte[128];
        QueryReader.Read(request, new byte[255], offsets, out DnsQuery q);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, sizeLimit: q.QuestionEnd + room);
        w.SetAuthoritative(true);
        w.SetZoneApex(q.GetSuffixOffset(offsets, 2));
        // NS set = 2 × 12 + "ns1"+ptr 6 + "ns2.example.net" 17 = 47 bytes; glue = ptr 2 + 14 = 16 bytes.
        bool added = w.TryAddNs(DnsSection.Authority, Names("ns1.t.example", "ns2.example.net"), 0, 60, [new(0, 1, 60)]);

        Assert.True(result == added, because);
        Assert.Equal(ns, w.AuthorityCount);
        Assert.Equal(glue, w.AdditionalCount);
        Assert.Equal(overflow, w.OtherSectionOverflowed);
        Assert.True(w.IsAuthoritative); // rbldnsd never clears AA for AUTHORITY
        Assert.False(w.AnswerOverflowed);
        DnsMessage m = Decode(buffer.AsSpan(0, w.Finish()));
        Assert.Equal(ns, m.AuthorityRecords.Count);
    }

    [Fact]
    public void Soa_that_does_not_fit_in_answer_clears_aa_in_rbldnsd_mode()
    {
        byte[] request = Query("t.example", type: DnsType.SOA);
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, sizeLimit: q.QuestionEnd + 40);
        w.SetAuthoritative(true);
        Assert.False(w.TryAddSoa(DnsSection.Answer, 60, Name("ns1.example.net"), Name("h.example.net"), Timers));
        Assert.False(w.IsAuthoritative);
        Assert.True(w.AnswerOverflowed);
        Assert.Equal(q.QuestionEnd, w.Length);

        // rbldnsd then refuses: back to the question.
        w.ResetSections();
        w.SetRcode(DnsRcode.Refused);
        Assert.Equal(q.QuestionEnd, w.Finish());
        Assert.Equal(ReturnCode.Refused, Decode(buffer.AsSpan(0, q.QuestionEnd)).ReturnCode);
    }

    [Fact]
    public void Root_zone_block_owner_is_the_root_byte()
    {
        byte[] request = Query(".", type: DnsType.SOA);
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        w.SetZoneApex(q.GetSuffixOffset([], 0));
        Assert.True(w.TryAddSoa(DnsSection.Answer, 60, Name("a.root"), Name("b.root"), Timers));
        Assert.True(w.TryAddRecord(DnsType.TXT, [1, (byte)'x'], 60)); // answers still point at offset 12

        Assert.Equal(0, buffer[q.QuestionEnd]);
        DnsMessage m = Decode(buffer.AsSpan(0, w.Finish()));
        Assert.Equal(".", m.AnswerRecords[0].Name.ToString());
        Assert.Equal(".", m.AnswerRecords[1].Name.ToString());
    }

    [Fact]
    public void Rejects_malformed_names_and_glue_indexes()
    {
        byte[] request = Query("t.example");
        DnsQuery q = Read(request);
        var buffer = new byte[512];
        var errors = new List<Type>();

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        Capture(ref w, static (ref ResponseWriter x) => x.TryAddSoa(DnsSection.Answer, 1, [3, (byte)'a'], [0], default), errors);
        Capture(ref w, static (ref ResponseWriter x) => x.TryAddNs(DnsSection.Authority, [64, .. new byte[64], 0], 0, 1), errors);
        Capture(ref w, static (ref ResponseWriter x) => x.TryAddNs(DnsSection.Authority, [1, (byte)'a', 0], 0, 1, [new(1, 1, 1)]), errors);
        Capture(ref w, static (ref ResponseWriter x) => x.SetZoneApex(11), errors);

        Assert.Equal([typeof(ArgumentException), typeof(ArgumentException), typeof(ArgumentOutOfRangeException), typeof(ArgumentOutOfRangeException)], errors);
        Assert.False(w.TryAddNs(DnsSection.Authority, [], 0, 1)); // no NS configured: nothing to add
    }

    private delegate void WriterAction(ref ResponseWriter writer);

    private static void Capture(ref ResponseWriter w, WriterAction action, List<Type> errors)
    {
        try
        {
            action(ref w);
            errors.Add(typeof(void));
        }
        catch (ArgumentException e)
        {
            errors.Add(e.GetType());
        }
    }
}
