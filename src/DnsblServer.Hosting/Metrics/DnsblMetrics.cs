using DnsblServer.Serving;
using DnsblServer.Serving.Metrics;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Serving.Resolving;
using DnsblServer.Serving.Transport;
using Prometheus;

namespace DnsblServer.Hosting.Metrics;

/// <summary>
/// The Prometheus view of the server, in a registry of its own: just before each scrape it sums the
/// per-thread query counters, reads the transport counters and the current zone set, and sets the
/// metrics from them. Nothing here runs on the query path. Names: see README.md beside this file.
/// </summary>
internal sealed class DnsblMetrics
{
    private readonly QueryProcessor _processor;
    private readonly QueryCounters _counters;
    private readonly TransportServer _transport;
    private readonly Counter _queries;
    private readonly Counter _responses;
    private readonly Counter _receivedBytes;
    private readonly Counter _sentBytes;
    private readonly Counter _dropped;
    private readonly Counter _truncated;
    private readonly Counter _cookies;
    private readonly Gauge _tcpOpen;
    private readonly Counter _tcpTotal;
    private readonly Counter _udpErrors;
    private readonly Counter _tcpErrors;
    private readonly Counter _tcpRejected;
    private readonly Counter _tcpTimeouts;
    private readonly Counter _tcpEvicted;
    private readonly Counter _tcpQueryDeadlines;
    private readonly Counter _tcpAcceptErrors;
    private readonly Counter _proxyDropped;
    private readonly Gauge _entries;
    private readonly Gauge _serial;
    private readonly Gauge _loaded;
    private readonly Gauge _lastSuccess;
    private readonly Gauge _loadDuration;
    private readonly Counter _loadFailures;
    private readonly Counter _loadRefused;
    private readonly Gauge _lastFailed;
    private readonly Gauge _journalChanges;
    private readonly Gauge _journalBytes;
    private readonly Zones.Journal.PushedEntries? _pushed;
    private readonly Func<long>? _stalledLoads;
    private readonly Counter _loadStalled;
    private readonly Counter _keyQueries;
    private readonly Gauge _keyToday;
    private HashSet<(string, string)> _keySeries = [];
    private readonly Serving.RateLimiting.ResponseRateLimiter? _rateLimiter;
    private readonly Counter? _rateLimited;
    private readonly Counter? _rateSlipped;

    // CookieStatus values from ClientOnly on; None is not a cookie
    private static readonly string[] CookieLabels = ["client_only", "valid", "invalid", "malformed"];

    public DnsblMetrics(QueryProcessor processor, QueryCounters counters, TransportServer transport, bool runtimeMetrics = true, Zones.Journal.PushedEntries? pushed = null, Func<long>? stalledLoads = null,
        Serving.RateLimiting.ResponseRateLimiter? rateLimiter = null)
    {
        _rateLimiter = rateLimiter;
        _pushed = pushed;
        _stalledLoads = stalledLoads;
        _processor = processor;
        _counters = counters;
        _transport = transport;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        if (runtimeMetrics)
        {
            // prometheus-net's default process_* and dotnet_* metrics, in our own registry so two servers
            // in one process do not clash. Its event-counter and meter adapters are left out: they add a
            // listener thread, and with a custom registry the meter adapter published no values here.
            DotNetStats.Register(Registry);
        }
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _queries = f.CreateCounter("dnsbl_queries_total", "DNS queries by zone (\"\" for none), QTYPE and result.", "zone", "qtype", "result");
        _responses = f.CreateCounter("dnsbl_responses_total", "DNS responses sent, by RCODE.", "rcode");
        _receivedBytes = f.CreateCounter("dnsbl_received_bytes_total", "Bytes of DNS queries received (TCP length prefixes not included).", "transport");
        _sentBytes = f.CreateCounter("dnsbl_sent_bytes_total", "Bytes of DNS responses sent (TCP length prefixes not included).", "transport");
        _dropped = f.CreateCounter("dnsbl_dropped_packets_total", "Packets answered with nothing, by reason.", "reason");
        _truncated = f.CreateCounter("dnsbl_truncated_responses_total", "UDP responses sent with TC=1 (the client retries over TCP).");
        _cookies = f.CreateCounter("dnsbl_cookies_queries_total", "Queries with a DNS COOKIE option (RFC 7873), by status: client_only, valid, invalid, malformed.", "status");
        _tcpOpen = f.CreateGauge("dnsbl_tcp_connections_open", "TCP connections open now.");
        _tcpTotal = f.CreateCounter("dnsbl_tcp_connections_total", "TCP connections accepted.");
        _udpErrors = f.CreateCounter("dnsbl_transport_udp_errors_total", "UDP datagrams that failed to be received, processed or sent (the loop carries on).");
        _tcpErrors = f.CreateCounter("dnsbl_transport_tcp_errors_total", "TCP malformed frames, processing failures and accept failures.");
        _tcpRejected = f.CreateCounter("dnsbl_transport_tcp_rejected_total", "TCP connections closed at once because MaxTcpConnections were open.");
        _tcpTimeouts = f.CreateCounter("dnsbl_transport_tcp_timeouts_total", "TCP connections closed by the idle timeout.");
        _tcpEvicted = f.CreateCounter("dnsbl_tcp_evicted_total", "TCP connections closed at the connection cap to let a new client in, longest-waiting first.");
        _tcpQueryDeadlines = f.CreateCounter("dnsbl_tcp_query_deadlines_total", "TCP connections closed because a query did not arrive whole within Tcp:QueryTimeout.");
        _tcpAcceptErrors = f.CreateCounter("dnsbl_tcp_accept_errors_total", "Failed TCP accepts (e.g. out of descriptors), each followed by a 100 ms pause.");
        _proxyDropped = f.CreateCounter("dnsbl_proxy_dropped_total", "UDP datagrams and TCP connections dropped at the PROXY v2 check: from a trusted proxy without a valid header (invalid), or a header from another peer (untrusted).", "transport", "reason");
        _entries = f.CreateGauge("dnsbl_dataset_entries", "Entries of the data served, by dataset and dataset type.", "dataset", "type");
        _serial = f.CreateGauge("dnsbl_zone_serial", "SOA serial served (0 when the zone has no SOA).", "zone");
        _loaded = f.CreateGauge("dnsbl_zone_loaded", "1 when the zone is served, 0 while it answers SERVFAIL (data never loaded, or expired).", "zone");
        _lastSuccess = f.CreateGauge("dnsbl_dataset_last_success_timestamp_seconds", "Unix time the data served now was loaded.", "dataset");
        _loadDuration = f.CreateGauge("dnsbl_dataset_load_duration_seconds", "How long the last load of the dataset took, successful or not.", "dataset");
        _loadFailures = f.CreateCounter("dnsbl_dataset_load_failures_total", "Failed loads of the dataset since the start.", "dataset");
        _journalChanges = f.CreateGauge("dnsbl_journal_changes", "Pushed changes (admin API) held in the dataset's journal, not yet folded into its file.", "dataset");
        _journalBytes = f.CreateGauge("dnsbl_journal_bytes", "Size of the dataset's journal file.", "dataset");
        _loadRefused = f.CreateCounter("dnsbl_dataset_load_refused_total", "Reloads refused by the shrink guard (too many entries would go; the previous data keeps serving), also counted as failures.", "dataset");
        _loadStalled = f.CreateCounter("dnsbl_load_stalled_total", "Zone loads that ran past Dnsbl:LoadTimeout (a hung read); later reloads stop waiting for them.");
        _keyQueries = f.CreateCounter("dnsbl_key_queries_total", "Queries below the apex of keyed zones, by zone and what the key gave: ok, unknown_key (or none), over_quota.", "zone", "result");
        _keyToday = f.CreateGauge("dnsbl_key_queries_today", "Queries counted today (UTC) per access key; only with Dnsbl:Keys:PerKeyMetrics, at most MaxKeySeries keys (most used first).", "dataset", "key");
        _lastFailed = f.CreateGauge("dnsbl_dataset_last_load_failed", "1 when the last load of the dataset failed (the previous data, if any, keeps serving).", "dataset");

        if (rateLimiter is not null)
        {
            // only with a limiter: a series at 0 would read as "limiting on, nothing limited"; dry_run="true" counts what would have been
            _rateLimited = f.CreateCounter("dnsbl_ratelimit_limited_total", "UDP answers over Dnsbl:RateLimit:ResponsesPerSecond, dropped or slipped (dry_run=\"true\": that would have been).", "dry_run");
            _rateSlipped = f.CreateCounter("dnsbl_ratelimit_slipped_total", "Of the limited answers, the ones sent as a slip (TC=1, or BADCOOKIE for a stale cookie) instead of dropped.", "dry_run");
            _rateLimited.WithLabels(rateLimiter.Options.DryRun ? "true" : "false");
            _rateSlipped.WithLabels(rateLimiter.Options.DryRun ? "true" : "false");
        }

        // series that alert rules rate() over exist from the start, at 0
        foreach (string rcode in QueryResults.Rcodes) _responses.WithLabels(rcode);
        foreach (string transportName in (string[])["udp", "tcp"])
        {
            _receivedBytes.WithLabels(transportName);
            _sentBytes.WithLabels(transportName);
        }
        foreach (string reason in DropReasons.Labels) _dropped.WithLabels(reason);
        foreach (string transportName in (string[])["udp", "tcp"])
        {
            foreach (string reason in (string[])["invalid", "untrusted"]) _proxyDropped.WithLabels(transportName, reason);
        }
        Registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>How many per-key series to export (the keys used most today first); 0 = none (<c>Dnsbl:Keys:PerKeyMetrics</c> off).</summary>
    public int PerKeySeries { get; init; }

    /// <summary>The registry to export.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Sets every metric from the counters and the current zone set; runs before each scrape.</summary>
    public void Update()
    {
        var zones = _processor.Zones;
        var snapshot = _counters.Snapshot();
        var rcodes = new Dictionary<string, long>();
        for (int zoneSlot = 0; zoneSlot < snapshot.ZoneSlots; zoneSlot++)
        {
            string zone = zoneSlot == 0 ? "" : zoneSlot - 1 < zones.Zones.Count ? zones.Zones[zoneSlot - 1].Name : $"#{zoneSlot - 1}";
            for (int t = 0; t < QueryTypeLabels.Count; t++)
            {
                for (int r = 0; r < QueryResults.Count; r++)
                {
                    long n = snapshot.Queries(zoneSlot, t, r);
                    if (n == 0) continue; // no series for combinations never seen
                    var row = QueryResults.Table[r];
                    _queries.WithLabels(zone, QueryTypeLabels.Labels[t], row.Result).IncTo(n);
                    if (row.Rcode is not null) rcodes[row.Rcode] = rcodes.GetValueOrDefault(row.Rcode) + n;
                }
            }
        }
        for (int zoneSlot = 1; zoneSlot < snapshot.ZoneSlots && zoneSlot - 1 < zones.Zones.Count; zoneSlot++)
        {
            if (!zones.Zones[zoneSlot - 1].IsKeyed) continue;
            string zone = zones.Zones[zoneSlot - 1].Name;
            _keyQueries.WithLabels(zone, "ok").IncTo(snapshot.KeyQueries(zoneSlot, KeyResult.Ok));
            _keyQueries.WithLabels(zone, "unknown_key").IncTo(snapshot.KeyQueries(zoneSlot, KeyResult.UnknownKey));
            _keyQueries.WithLabels(zone, "over_quota").IncTo(snapshot.KeyQueries(zoneSlot, KeyResult.OverQuota));
        }
        if (PerKeySeries > 0) UpdatePerKey(zones);
        foreach (var (rcode, n) in rcodes) _responses.WithLabels(rcode).IncTo(n);
        foreach (var (transport, name) in (ReadOnlySpan<(TransportKind, string)>)[(TransportKind.Udp, "udp"), (TransportKind.Tcp, "tcp")])
        {
            long received = 0, sent = 0;
            for (int zoneSlot = 0; zoneSlot < snapshot.ZoneSlots; zoneSlot++)
            {
                received += snapshot.ReceivedBytes(zoneSlot, transport);
                sent += snapshot.SentBytes(zoneSlot, transport);
            }
            _receivedBytes.WithLabels(name).IncTo(received);
            _sentBytes.WithLabels(name).IncTo(sent);
        }
        for (int reason = 0; reason < DropReasons.Count; reason++) _dropped.WithLabels(DropReasons.Labels[reason]).IncTo(snapshot.Dropped(reason));
        _truncated.IncTo(snapshot.Truncated);
        for (int c = 0; c < CookieLabels.Length; c++) _cookies.WithLabels(CookieLabels[c]).IncTo(snapshot.Cookies((Serving.Pipeline.CookieStatus)(c + 1)));
        if (_stalledLoads is not null) _loadStalled.IncTo(_stalledLoads());
        if (_rateLimiter is not null)
        {
            var limits = _rateLimiter.Snapshot();
            string dryRun = limits.DryRun ? "true" : "false";
            _rateLimited!.WithLabels(dryRun).IncTo(limits.Limited);
            _rateSlipped!.WithLabels(dryRun).IncTo(limits.Slipped);
        }

        var transportCounters = _transport.Snapshot();
        _tcpOpen.Set(transportCounters.TcpConnectionsOpen);
        _tcpTotal.IncTo(transportCounters.TcpConnectionsTotal);
        _udpErrors.IncTo(transportCounters.UdpErrors);
        _tcpErrors.IncTo(transportCounters.TcpErrors);
        _tcpRejected.IncTo(transportCounters.TcpRejected);
        _tcpTimeouts.IncTo(transportCounters.TcpTimeouts);
        _tcpEvicted.IncTo(transportCounters.TcpEvicted);
        _tcpQueryDeadlines.IncTo(transportCounters.TcpQueryDeadlines);
        _tcpAcceptErrors.IncTo(transportCounters.TcpAcceptErrors);
        _proxyDropped.WithLabels("udp", "invalid").IncTo(transportCounters.UdpProxyInvalid);
        _proxyDropped.WithLabels("udp", "untrusted").IncTo(transportCounters.UdpProxyUntrusted);
        _proxyDropped.WithLabels("tcp", "invalid").IncTo(transportCounters.TcpProxyInvalid);
        _proxyDropped.WithLabels("tcp", "untrusted").IncTo(transportCounters.TcpProxyUntrusted);

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var zone in zones.Zones)
        {
            _serial.WithLabels(zone.Name).Set(zone.Serial);
            _loaded.WithLabels(zone.Name).Set(ZoneHealth.IsServed(zone, now) ? 1 : 0);
        }
        foreach (var dataset in zones.Datasets.Values)
        {
            _entries.WithLabels(dataset.Key, dataset.Type).Set(dataset.Dataset?.EntryCount ?? 0);
            if (dataset.LoadedAt is { } loadedAt) _lastSuccess.WithLabels(dataset.Key).Set(loadedAt.ToUnixTimeMilliseconds() / 1000.0);
            _loadDuration.WithLabels(dataset.Key).Set(dataset.LastDuration.TotalSeconds);
            _loadFailures.WithLabels(dataset.Key).IncTo(dataset.FailureCount);
            _loadRefused.WithLabels(dataset.Key).IncTo(dataset.RefusedCount);
            _lastFailed.WithLabels(dataset.Key).Set(dataset.LastError is null ? 0 : 1);
            if (_pushed?.Describe(dataset.Key) is { } journal)
            {
                _journalChanges.WithLabels(dataset.Key).Set(journal.Changes);
                _journalBytes.WithLabels(dataset.Key).Set(journal.Bytes);
            }
        }
    }

    // per-key gauges, capped: the keys used most today; a key that drops out of the cap loses its series
    private void UpdatePerKey(Zones.ZoneSets.ZoneSet zones)
    {
        var keyed = zones.Zones.Where(z => z.IsKeyed && z.KeysDatasetKey is not null).DistinctBy(z => z.KeysDatasetKey);
        var top = keyed.SelectMany(z => _processor.Keys.Usage(z.KeysDatasetKey!, z.Keys).Select(u => (Dataset: z.KeysDatasetKey!, Usage: u)))
            .OrderByDescending(k => k.Usage.Today).ThenBy(k => k.Usage.Name, StringComparer.Ordinal).Take(PerKeySeries).ToList();
        var series = new HashSet<(string, string)>();
        foreach (var (dataset, usage) in top)
        {
            _keyToday.WithLabels(dataset, usage.Name).Set(usage.Today);
            series.Add((dataset, usage.Name));
        }
        foreach (var (dataset, key) in _keySeries.Where(k => !series.Contains(k))) _keyToday.RemoveLabelled(dataset, key);
        _keySeries = series;
    }
}
