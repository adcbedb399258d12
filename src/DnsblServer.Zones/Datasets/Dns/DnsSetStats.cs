namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>
/// Entry counts and label-count bounds of each dnset array. rbldnsd keeps the same bounds to skip
/// searches that cannot match (a query with more labels than any plain name, a suffix shorter than any wildcard).
/// </summary>
internal sealed class DnsSetStats
{
    public int PlainCount { get; private set; }
    public int WildcardCount { get; private set; }
    public int PlainMinLabels { get; private set; } = int.MaxValue;
    public int PlainMaxLabels { get; private set; }
    public int WildcardMinLabels { get; private set; } = int.MaxValue;
    public int WildcardMaxLabels { get; private set; }

    public void AddPlain(int labels)
    {
        PlainCount++;
        PlainMinLabels = Math.Min(PlainMinLabels, labels);
        PlainMaxLabels = Math.Max(PlainMaxLabels, labels);
    }

    public void AddWildcard(int labels)
    {
        WildcardCount++;
        WildcardMinLabels = Math.Min(WildcardMinLabels, labels);
        WildcardMaxLabels = Math.Max(WildcardMaxLabels, labels);
    }
}
