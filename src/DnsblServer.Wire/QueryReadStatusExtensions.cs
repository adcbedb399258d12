namespace DnsblServer.Wire;

/// <summary>
/// Helpers for <see cref="QueryReadStatus"/>.
/// </summary>
public static class QueryReadStatusExtensions
{
    /// <summary>True when the packet must get no reply at all (rbldnsd <c>parsequery</c> failed).</summary>
    public static bool IsDropped(this QueryReadStatus status) => status >= QueryReadStatus.DroppedTooShort;
}
