using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

/// <summary>The query path must not allocate (STYLE 11: expected allocated bytes on the query path = 0).</summary>
public class AllocationTests
{
    private static readonly byte[] Request = Query("2.0.0.127.BL.example", type: DnsType.ANY, ednsPayload: 4096);
    private static readonly byte[] Text = Ascii("Listed 127.0.0.2 see http://x/?ip=127.0.0.2");
    private static readonly byte[] Ip = Ascii("127.0.0.2");
    private static readonly byte[] NsNames = Names("ns1.bl.example", "ns2.example.net");
    private static readonly GlueAddress[] Glue = [new(0, 0xC0000235, 3000)];
    private static readonly byte[] Mname = Name("ns1.bl.example");
    private static readonly byte[] Rname = Name("hostmaster.bl.example");
    private static readonly SoaTimers Timers = new(1, 600, 300, 86400, 120);

    [Fact]
    public void Parse_and_write_allocate_nothing()
    {
        var name = new byte[DnsQuery.MaxNameLength];
        var offsets = new byte[DnsQuery.MaxLabels];
        var reply = new byte[2048];
        int checksum = 0;
        for (int i = 0; i < 200; i++)
        {
            checksum += RunOnce(name, offsets, reply, i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            checksum += RunOnce(name, offsets, reply, i);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static int RunOnce(byte[] name, byte[] offsets, byte[] reply, int rotation)
    {
        if (QueryReader.Read(Request, name, offsets, out DnsQuery q) != QueryReadStatus.Ok)
        {
            return 0;
        }

        var w = new ResponseWriter(reply);
        w.Begin(Request, q, q.Edns.EffectivePayloadSize, OverflowPolicy.SetTruncated, q.Edns.Present);
        w.SetAuthoritative(true);
        w.SetZoneApex(q.GetSuffixOffset(offsets, 2));
        w.TryAddA(0x7F000002, 2100);
        w.TryAddTxt(Text, 2100);
        w.TryAddA(0x7F000002, 2100); // duplicate: exercises the merge walk
        w.TryAddNs(DnsSection.Authority, NsNames, rotation, 3600, Glue);
        int length = w.FinishWithOpt(1232);

        // A negative reply in the same buffer.
        w.Begin(Request, q, q.RbldnsdEdns.AnswerLimit);
        w.SetRcode(DnsRcode.NxDomain);
        w.SetZoneApex(q.GetSuffixOffset(offsets, 2));
        w.TryAddSoa(DnsSection.Authority, Timers.Minimum, Mname, Rname, Timers);
        return length + w.FinishRbldnsd();
    }
}
