using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Metrics;

/// <summary>
/// The <c>/readyz</c> answer. 503 when a zone is not served or a load is stalled (past <c>Dnsbl:LoadTimeout</c>:
/// no new data can arrive until it ends). A reload refused by the shrink guard stays 200: the previous data is
/// served and correct as of its load, and taking the server out of rotation would turn one bad download into an
/// outage; the body names the refused datasets so a probe log (and the alert) shows them.
/// </summary>
internal static class Readiness
{
    public static (int Status, string Body) Check(ZoneSet zones, (string Dataset, DateTimeOffset Since, TimeSpan For)? stalled)
    {
        var problems = new List<string>();
        var unserved = ZoneHealth.Unserved(zones);
        if (unserved.Count > 0) problems.Add(string.Join(' ', unserved));
        if (stalled is { } s) problems.Add($"load of {s.Dataset} stalled since {s.Since:yyyy-MM-ddTHH:mm:ssZ} ({s.For.TotalSeconds:0} s)");
        var refused = zones.Datasets.Values.Where(d => d.LastError?.Kind == LoadDiagnosticKind.ShrinkRefused).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
        string note = refused.Count == 0 ? "" : $"; shrink refused, previous data served: {string.Join(' ', refused)} (accept with POST /v1/reload?acceptShrink=DATASET)";
        return problems.Count == 0 ? (200, "ready" + note + "\n") : (503, "not ready: " + string.Join("; ", problems) + note + "\n");
    }
}
