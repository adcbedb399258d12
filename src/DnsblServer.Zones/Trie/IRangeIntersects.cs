namespace DnsblServer.Zones.Trie;

/// <summary>Something whose listed ranges can be probed (the big range maps under an overlay).</summary>
/// <typeparam name="T">The address type.</typeparam>
public interface IRangeIntersects<T>
{
    /// <summary>True when any address in [<paramref name="first"/>, <paramref name="last"/>] is listed.</summary>
    bool Intersects(T first, T last);
}
