using System.Diagnostics;
using System.Text;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.TestSupport;
using DnsblServer.Wire;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;
using static DnsblServer.TestSupport.DnsPacket;

namespace DnsblServer.Serving.Tests.Resolving;

/// <summary>A generic name with 100,000 records: the reply stops filling once full instead of offering every record.</summary>
public sealed class GenericManyRecordsTests : IDisposable
{
    private const int Many = 100_000;
    private readonly ZoneDirectory _dir = new();

    public GenericManyRecordsTests()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Many; i++) text.Append("many TXT \"record number ").Append(i).Append("\"\n");
        for (int i = 0; i < 100; i++) text.Append("few TXT \"record number ").Append(i).Append("\"\n");
        _dir.Write("gen", text.ToString());
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(512, OverflowPolicy.SetTruncated)]
    [InlineData(65535, OverflowPolicy.ClearAuthoritative)]
    public void RecordsVisitedAreBoundedByTheReplyNotTheName(int limit, OverflowPolicy policy)
    {
        var load = DatasetLoader.Load("generic", ["gen"], new LoadOptions { WorkingDirectory = _dir.Path });
        var generic = Assert.IsType<GenericDataset>(load.Dataset);
        Assert.True(generic.TryLookup("\u0004many"u8, GenericDataset.TypeTxt, out var records));
        Assert.Equal(Many, records.Length);

        byte[] query = Query("many.gen.test", 16);
        var buffer = new byte[65535];
        var w = new ResponseWriter(buffer);
        Assert.Equal(QueryReadStatus.Ok, QueryReader.Read(query, new byte[DnsQuery.MaxNameLength], new byte[DnsQuery.MaxLabels], out var q));
        w.Begin(query, in q, limit, policy);
        int visited = GenericAnswer.Add(ref w, records);

        Assert.InRange(visited, 1, ResponseWriter.MaxAnswers + GenericAnswer.TriesAfterMiss + 1);
        Assert.True(w.AnswerIsFull || visited < Many);
    }

    [Fact]
    public void UdpSetsTcAndTcpStaysWithinTheMessageAndCostsLittleMoreThanAHundredRecords()
    {
        var zones = ZoneSetLoader.Load([ZoneSpec.Parse("gen.test:generic:gen")], new LoadOptions { WorkingDirectory = _dir.Path }).ZoneSet;
        var processor = new QueryProcessor(new ResolverOptions(), zones);
        var response = new byte[65535];
        int Ask(string name, TransportKind transport) => processor.Answer(Query(name, 16), response, transport, out _);

        int udp = Ask("many.gen.test", TransportKind.Udp);
        var udpMessage = RawDnsClient.Parse(response[..udp]);
        Assert.True(udpMessage.IsTruncated);
        Assert.NotEmpty(udpMessage.AnswerRecords);
        Assert.True(udp <= 512);

        int tcp = Ask("many.gen.test", TransportKind.Tcp);
        var tcpMessage = RawDnsClient.Parse(response[..tcp]);
        Assert.Equal(ResponseWriter.MaxAnswers, tcpMessage.AnswerRecords.Count);

        // before: every one of the 100,000 records was checked against the answers written (about 1,000 times the
        // work of the 100-record name); now both stop after a few hundred records
        double Time(string name)
        {
            for (int i = 0; i < 3; i++) Ask(name, TransportKind.Tcp);
            double best = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < 20; i++) Ask(name, TransportKind.Tcp);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            return best;
        }
        double many = Time("many.gen.test");
        double few = Time("few.gen.test");
        Assert.True(many < few * 30, $"100,000 records: {many:F1} ms, 100 records: {few:F1} ms per 20 queries");
    }
}
