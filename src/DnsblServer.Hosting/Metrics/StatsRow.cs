using DnsblServer.Serving;
using DnsblServer.Serving.Metrics;

namespace DnsblServer.Hosting.Metrics;

/// <summary>rbldnsd's <c>struct dnsstats</c> for one zone (or the queries outside every zone): queries OK, NXDOMAIN, error; bytes in and out.</summary>
internal readonly record struct StatsRow(long Ok, long NxDomain, long Error, long In, long Out)
{
    public long Total => Ok + NxDomain + Error;

    public static StatsRow From(QueryCountersSnapshot snapshot, int zoneSlot) => new(
        snapshot.Queries(zoneSlot, StatsClass.Ok),
        snapshot.Queries(zoneSlot, StatsClass.NxDomain),
        snapshot.Queries(zoneSlot, StatsClass.Error),
        snapshot.ReceivedBytes(zoneSlot, TransportKind.Udp) + snapshot.ReceivedBytes(zoneSlot, TransportKind.Tcp),
        snapshot.SentBytes(zoneSlot, TransportKind.Udp) + snapshot.SentBytes(zoneSlot, TransportKind.Tcp));

    public static StatsRow operator +(StatsRow a, StatsRow b) => new(a.Ok + b.Ok, a.NxDomain + b.NxDomain, a.Error + b.Error, a.In + b.In, a.Out + b.Out);

    public static StatsRow operator -(StatsRow a, StatsRow b) => new(a.Ok - b.Ok, a.NxDomain - b.NxDomain, a.Error - b.Error, a.In - b.In, a.Out - b.Out);

    /// <summary>rbldnsd's <c>:tot:ok:nxd:in:out</c> (no error count: it is tot - ok - nxd).</summary>
    public string Format() => $":{Total}:{Ok}:{NxDomain}:{In}:{Out}";
}
