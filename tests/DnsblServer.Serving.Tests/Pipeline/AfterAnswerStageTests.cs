using System.Buffers.Binary;
using DnsblServer.Serving.Metrics;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Tests.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Wire;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Pipeline;

/// <summary>The stage after the answer: the facts its steps see, and a step that changes what is sent (the seam the rate limiter joins).</summary>
public sealed class AfterAnswerStageTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();
    private readonly ZoneSet _zones;
    private readonly byte[] _response = new byte[65535];

    public AfterAnswerStageTests()
    {
        _dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 7 1 1 1 30\n:127.0.0.2:Listed $\n192.0.2.1\n");
        _dir.Write("big", string.Concat(Enumerable.Range(0, 4).Select(i => $"big TXT {new string((char)('a' + i), 200)}\n")));
        _zones = ZoneSetLoader.Load([ZoneSpec.Parse("bl.test:ip4set:bl"), ZoneSpec.Parse("g.test:generic:big")],
            new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet;
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, ushort, QueryOutcome, int, bool> Cases => new()
    {
        { "1.2.0.192.bl.test", 1, QueryOutcome.Listed, 0, false },
        { "9.2.0.192.bl.test", 16, QueryOutcome.NxDomain, 0, false },
        { "big.g.test", 16, QueryOutcome.Listed, 1, true }, // 800 bytes of TXT in 512: TC=1
        { "x.other", 1, QueryOutcome.Refused, -1, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsSeeWhatTheResolverSettled(string name, ushort qtype, QueryOutcome outcome, int zoneIndex, bool truncated)
    {
        var seen = new Recorder();
        var processor = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(seen) };
        byte[] query = Query(name, qtype);

        int length = processor.Process(query, _response, TransportKind.Udp, [127, 0, 0, 1]);

        Assert.Equal(outcome, seen.Outcome);
        Assert.Equal(zoneIndex, seen.ZoneIndex);
        Assert.Equal(qtype, seen.QType);
        Assert.Equal(truncated, seen.Truncated);
        Assert.Equal(truncated, (_response[2] & 0x02) != 0);
        Assert.Equal(query.Length, seen.RequestBytes);
        Assert.Equal(length, seen.ResponseBytes);
        Assert.Equal(query.Length, seen.QuestionEnd); // no EDNS: the query is header and question
        Assert.Equal([127, 0, 0, 1], seen.Client);
    }

    [Fact]
    public void ADroppedPacketCarriesItsReadStatus()
    {
        var seen = new Recorder();
        var processor = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(seen) };
        Assert.Equal(0, processor.Process([1, 2, 3], _response, TransportKind.Tcp, []));
        Assert.Equal(QueryOutcome.Dropped, seen.Outcome);
        Assert.Equal(QueryReadStatus.DroppedTooShort, seen.ReadStatus);
        Assert.Equal(0, seen.ResponseBytes);
        Assert.Empty(seen.Client);
    }

    [Fact]
    public void AStepBeforeTheCountersChangesWhatIsSentAndCounted()
    {
        var counters = new QueryCounters(_zones.Zones.Count);
        var after = new Recorder();
        var processor = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(new Slip(), counters, after) };
        byte[] query = Query("1.2.0.192.bl.test", 1);

        int length = processor.Process(query, _response, TransportKind.Udp, [127, 0, 0, 1]);

        Assert.Equal(query.Length, length); // header and question only
        Assert.Equal(0x02, _response[2] & 0x02);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(_response.AsSpan(6)));
        Assert.True(after.Truncated);
        Assert.Equal(length, after.ResponseBytes);
        var s = counters.Snapshot();
        Assert.Equal(1, s.Truncated);
        Assert.Equal(length, s.SentBytes(1, TransportKind.Udp));

        var dropped = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(new Drop(), after) };
        Assert.Equal(0, dropped.Process(query, _response, TransportKind.Udp, [127, 0, 0, 1]));
        Assert.Equal(0, after.ResponseBytes);
        Assert.Equal(QueryOutcome.Listed, after.Outcome); // what the resolver decided stays; only the response changed
    }

    [Fact]
    public void TheStageAllocatesNothing()
    {
        var counters = new QueryCounters(_zones.Zones.Count);
        var processor = new QueryProcessor(new ResolverOptions(), _zones) { AfterAnswer = new AfterAnswerStage(new Slip(), counters, null) };
        byte[] query = Query("1.2.0.192.bl.test", 1);
        byte[] client = [127, 0, 0, 1];
        Assert.Equal(0, Allocations.PerThousandPasses(() => processor.Process(query, _response, TransportKind.Udp, client)));
    }

    // What a rate limiter's slip does (RFC-less, as Knot's rrl-slip): header and question, TC=1, no records.
    private sealed class Slip : IAfterAnswerStep
    {
        public void Run(ref AnswerFacts facts, Span<byte> response)
        {
            if (!facts.Answered) return;
            response[2] |= 0x02;
            response.Slice(6, 6).Clear();
            facts = facts.WithResponse(facts.QuestionEnd, truncated: true);
        }
    }

    private sealed class Drop : IAfterAnswerStep
    {
        public void Run(ref AnswerFacts facts, Span<byte> response) => facts = facts.WithResponse(0, truncated: false);
    }

    private sealed class Recorder : IAfterAnswerStep
    {
        public QueryOutcome Outcome;
        public int ZoneIndex;
        public ushort QType;
        public QueryReadStatus ReadStatus;
        public bool Truncated;
        public int RequestBytes;
        public int ResponseBytes;
        public int QuestionEnd;
        public byte[] Client = [];

        public void Run(ref AnswerFacts facts, Span<byte> response)
        {
            Assert.Equal(facts.ResponseBytes, response.Length);
            (Outcome, ZoneIndex, QType, ReadStatus, Truncated) = (facts.Outcome, facts.ZoneIndex, facts.QType, facts.ReadStatus, facts.Truncated);
            (RequestBytes, ResponseBytes, QuestionEnd, Client) = (facts.RequestBytes, facts.ResponseBytes, facts.QuestionEnd, facts.ClientAddress.ToArray());
        }
    }
}
