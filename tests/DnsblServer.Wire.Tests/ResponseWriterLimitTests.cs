using ARSoft.Tools.Net.Dns;
using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

/// <summary>Size limits, overflow policies, the 255-answer cap and OPT handling.</summary>
public class ResponseWriterLimitTests
{
    public static TheoryData<OverflowPolicy, bool, bool> Policies => new()
    {
        // policy, AA after overflow, TC after finish
        { OverflowPolicy.ClearAuthoritative, false, false },
        { OverflowPolicy.SetTruncated, true, true },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void Answers_that_do_not_fit_are_dropped(OverflowPolicy policy, bool aa, bool tc)
    {
        byte[] request = Query("8.0.0.10.t.example");
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, policy: policy);
        w.SetAuthoritative(true);
        int added = 0;
        for (uint i = 1; i <= 38; i++)
        {
            added += w.TryAddA(0x7F000000 + i, 2100) ? 1 : 0;
        }

        int length = w.Finish();
        Assert.Equal(29, added); // (512 − 36) / 16, as recorded from rbldnsd
        Assert.True(w.AnswerOverflowed);
        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal(29, m.AnswerRecords.Count);
        Assert.Equal(aa, m.IsAuthoritiveAnswer);
        Assert.Equal(tc, m.IsTruncated);
        Assert.True(length <= 512);
    }

    [Fact]
    public void A_smaller_record_still_fits_after_a_larger_one_did_not()
    {
        byte[] request = Query("t.example");
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, sizeLimit: q.QuestionEnd + 20);
        Assert.False(w.TryAddTxt(Ascii(new string('x', 20)), 60));
        Assert.True(w.TryAddA(1, 60));
        Assert.Equal(1, w.AnswerCount);
    }

    [Fact]
    public void Answers_stop_at_255()
    {
        byte[] request = Query("t.example");
        DnsQuery q = Read(request);
        var buffer = new byte[65535];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, sizeLimit: 65535);
        for (uint i = 1; i <= 300; i++)
        {
            w.TryAddA(i, 60);
        }

        Assert.Equal(255, w.AnswerCount);
        Assert.True(w.AnswerOverflowed);
        Assert.Equal(255, Decode(buffer.AsSpan(0, w.Finish())).AnswerRecords.Count);
    }

    [Fact]
    public void Reserved_opt_always_fits_and_carries_our_payload_size()
    {
        byte[] request = Query("8.0.0.10.t.example", type: DnsType.TXT, ednsPayload: 1232, after: []);
        DnsQuery q = Read(request);
        var buffer = new byte[4096];
        int limit = Math.Min(q.Edns.EffectivePayloadSize, 1232);

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, sizeLimit: limit, policy: OverflowPolicy.SetTruncated, reserveOpt: q.Edns.Present);
        w.SetAuthoritative(true);
        for (int i = 0; i < 100; i++)
        {
            w.TryAddTxt(Ascii($"value {i:000} " + new string('p', 40)), 2100);
        }

        int length = w.FinishWithOpt(1232);

        Assert.True(length <= limit, $"{length} > {limit}");
        Assert.True(length > limit - 60);
        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.True(m.IsTruncated);
        Assert.True(m.IsAuthoritiveAnswer);
        Assert.True(m.IsEDnsEnabled);
        Assert.Equal(1232, m.EDnsOptions!.UdpPayloadSize);
        Assert.Equal(0, m.EDnsOptions!.Version);
        Assert.False(m.EDnsOptions!.IsDnsSecOk);
        Assert.Empty(m.EDnsOptions!.Options);
        Assert.Equal(ReturnCode.NoError, m.ReturnCode);
    }

    [Fact]
    public void Badvers_is_header_0_plus_opt_extended_1()
    {
        byte[] request = Query("t.example", after: Opt(1232, version: 1), counts: (1, 0, 0, 1));
        DnsQuery q = Read(request);
        Assert.Equal(1, q.Edns.Version);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, reserveOpt: true);
        w.SetRcode(DnsRcode.BadVers);
        int length = w.FinishWithOpt(1232);

        Assert.Equal(q.QuestionEnd + 11, length);
        Assert.Equal(0, buffer[3] & 0x0F);
        Assert.Equal(1, buffer[length - 6]);
        Assert.Equal(DnsRcode.BadVers, w.Rcode);
        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal(ReturnCode.BadVersion, m.ReturnCode);
        Assert.Equal(1232, m.EDnsOptions!.UdpPayloadSize);
    }

    public static TheoryData<int, int, bool> RbldnsdOpt => new()
    {
        // TXT records of 60 bytes added, rbldnsd answer limit, OPT expected
        { 2, 2037, false },
        { 20, 2037, true },
        { 20, 512, false },
    };

    [Theory]
    [MemberData(nameof(RbldnsdOpt))]
    public void Rbldnsd_adds_opt_2048_only_past_512_bytes(int records, int limit, bool opt)
    {
        byte[] request = Query("t.example", type: DnsType.TXT, ednsPayload: 4096);
        DnsQuery q = Read(request);
        var buffer = new byte[2048];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, sizeLimit: limit);
        for (int i = 0; i < records; i++)
        {
            w.TryAddRecord(DnsType.TXT, [47, .. Ascii($"{i:000}" + new string('t', 44))], 60);
        }

        int length = w.FinishRbldnsd();
        DnsMessage m = Decode(buffer.AsSpan(0, length));
        Assert.Equal(opt, m.IsEDnsEnabled);
        if (opt)
        {
            Assert.Equal(2048, m.EDnsOptions!.UdpPayloadSize);
            Assert.True(length <= 2048);
        }
        else
        {
            Assert.True(length <= 512);
        }
    }

    [Fact]
    public void Opt_is_skipped_when_nothing_was_reserved_and_it_does_not_fit()
    {
        byte[] request = Query("t.example");
        DnsQuery q = Read(request);
        var buffer = new byte[512];

        var w = new ResponseWriter(buffer);
        w.Begin(request, q, sizeLimit: q.QuestionEnd + 16);
        w.TryAddA(1, 60);
        Assert.Equal(q.QuestionEnd + 16, w.FinishWithOpt(1232));
        Assert.Equal(0, w.AdditionalCount);
    }
}
