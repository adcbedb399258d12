using DnsblServer.Wire;

namespace DnsblServer.Serving.Metrics;

/// <summary>The <c>reason</c> label values of <c>dnsbl_dropped_packets_total</c>: why a packet got no answer.</summary>
public static class DropReasons
{
    /// <summary>Labels by slot.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["too_short", "response", "question_count", "bad_name", "other"];

    /// <summary>Number of slots.</summary>
    public const int Count = 5;

    /// <summary>The slot for a <see cref="QueryReader"/> status that drops the packet.</summary>
    public static int Slot(QueryReadStatus status) => status switch
    {
        QueryReadStatus.DroppedTooShort => 0,
        QueryReadStatus.DroppedResponse => 1,
        QueryReadStatus.DroppedQuestionCount => 2,
        QueryReadStatus.DroppedBadName => 3,
        _ => 4,
    };
}
