using DnsblServer.Serving.Pipeline;

namespace DnsblServer.Serving.Metrics;

/// <summary>How rbldnsd's statistics (<c>-s</c>) class a query: answered OK, NXDOMAIN, or an error (no answer counts as one too).</summary>
public enum StatsClass : byte
{
    /// <summary>rbldnsd <c>q_ok</c>: listed, NODATA, version.bind.</summary>
    Ok,
    /// <summary>rbldnsd <c>q_nxd</c>: NXDOMAIN (exempted too).</summary>
    NxDomain,
    /// <summary>rbldnsd <c>q_err</c>: REFUSED, SERVFAIL, NOTIMP, FORMERR, BADVERS, and packets not answered.</summary>
    Error,
}

/// <summary>One row of <see cref="QueryResults.Table"/>: what a <see cref="QueryOutcome"/> is called in the metrics.</summary>
/// <param name="Outcome">The outcome.</param>
/// <param name="Result">The <c>result</c> label of <c>dnsbl_queries_total</c>.</param>
/// <param name="Rcode">The <c>rcode</c> label of <c>dnsbl_responses_total</c>; null when no response is sent.</param>
/// <param name="Stats">The rbldnsd statistics class.</param>
public sealed record QueryResult(QueryOutcome Outcome, string Result, string? Rcode, StatsClass Stats);

/// <summary>
/// The one table from <see cref="QueryOutcome"/> to metric labels. A new outcome (the ACL's, say)
/// is one new row here; a test checks that every outcome has exactly one.
/// </summary>
public static class QueryResults
{
    /// <summary>Rows indexed by <c>(int)</c><see cref="QueryOutcome"/>.</summary>
    public static IReadOnlyList<QueryResult> Table { get; } =
    [
        new(QueryOutcome.Listed, "listed", "NOERROR", StatsClass.Ok),
        new(QueryOutcome.NxDomain, "not_listed", "NXDOMAIN", StatsClass.NxDomain),
        new(QueryOutcome.Exempted, "exempted", "NXDOMAIN", StatsClass.NxDomain),
        new(QueryOutcome.NoData, "nodata", "NOERROR", StatsClass.Ok),
        new(QueryOutcome.Refused, "refused", "REFUSED", StatsClass.Error),
        new(QueryOutcome.ServFail, "servfail", "SERVFAIL", StatsClass.Error),
        new(QueryOutcome.NotImplemented, "notimp", "NOTIMP", StatsClass.Error),
        new(QueryOutcome.FormErr, "formerr", "FORMERR", StatsClass.Error),
        new(QueryOutcome.BadVersion, "badvers", "BADVERS", StatsClass.Error),
        new(QueryOutcome.Version, "version", "NOERROR", StatsClass.Ok),
        new(QueryOutcome.Dropped, "dropped", null, StatsClass.Error),
        new(QueryOutcome.Ignored, "ignored", null, StatsClass.Error),
        new(QueryOutcome.AclRefused, "acl_refused", "REFUSED", StatsClass.Error),
        new(QueryOutcome.KeyRefused, "key_refused", "NOERROR", StatsClass.Ok),
    ];

    /// <summary>Number of outcome slots the counters keep (the table's length).</summary>
    public static int Count => Table.Count;

    /// <summary>Every <c>rcode</c> label, in the order <c>dnsbl_responses_total</c> lists them.</summary>
    public static IReadOnlyList<string> Rcodes { get; } = ["NOERROR", "NXDOMAIN", "REFUSED", "SERVFAIL", "FORMERR", "NOTIMP", "BADVERS"];
}
