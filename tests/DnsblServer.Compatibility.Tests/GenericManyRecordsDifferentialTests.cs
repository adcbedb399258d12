using System.Text;
using ARSoft.Tools.Net.Dns;
using DnsblServer.TestSupport;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// The deliberate difference for generic names with more records than fit (README): we stop offering records
/// 255 after the first that did not fit, so a smaller TTL further down no longer lowers the TTL of those written.
/// Up to that point the TTLs are rbldnsd's (which records fit never was: rbldnsd orders a name's records its own way).
/// </summary>
public sealed class GenericManyRecordsDifferentialTests
{
    private static string Name(int records)
    {
        var text = new StringBuilder();
        for (int i = 0; i < records; i++) text.Append($"n{records} 2100 A 127.0.{i / 250}.{i % 250 + 1}\n");
        return text.Append($"n{records} 60 A 127.1.0.1\n").ToString(); // the last record has the smallest TTL
    }

    [Fact]
    public void RecordsAndTtlsMatchUpTo255MissesAndOnlyTheTtlDiffersBeyond()
    {
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        dir.Write("big", Name(200) + Name(1000));
        string[] specs = ["big.example:generic:big"];
        using var rbldnsd = RbldnsdInstance.Start(dir.Path, specs, null);
        using var ours = new OurServer(dir.Path, specs);
        (DnsMessage Theirs, DnsMessage Mine) Ask(string name) =>
            (RawDnsClient.Parse(rbldnsd.CreateClient().Send(Query(name, 1))!), RawDnsClient.Parse(ours.CreateClient().Send(Query(name, 1))!));

        var (theirs, mine) = Ask("n200.big.example");
        Assert.NotEmpty(mine.AnswerRecords);
        // which records fit was never rbldnsd's (it orders a name's records its own way): the count and TTLs are
        Assert.Equal(theirs.AnswerRecords.Count, mine.AnswerRecords.Count);
        Assert.All(theirs.AnswerRecords, r => Assert.Equal(60, r.TimeToLive));
        Assert.All(mine.AnswerRecords, r => Assert.Equal(60, r.TimeToLive)); // the last record, 200 later, still lowers the TTL
        Assert.True(mine.IsTruncated);

        (theirs, mine) = Ask("n1000.big.example");
        Assert.Equal(theirs.AnswerRecords.Count, mine.AnswerRecords.Count); // as many records, ...
        Assert.All(theirs.AnswerRecords, r => Assert.Equal(60, r.TimeToLive));  // ... rbldnsd read all 1,001
        Assert.All(mine.AnswerRecords, r => Assert.Equal(2100, r.TimeToLive));  // ... we stopped 255 after the first miss
        Assert.True(mine.IsTruncated);
    }
}
