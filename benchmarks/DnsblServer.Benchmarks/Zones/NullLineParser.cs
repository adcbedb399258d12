using DnsblServer.Zones.Files;

namespace DnsblServer.Benchmarks.Zones;

/// <summary>Counts data lines and does nothing else: the cost of reading and splitting a file.</summary>
internal sealed class NullLineParser : LineParser
{
    /// <summary>Data lines seen.</summary>
    public long Lines { get; private set; }

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context) => Lines++;

    /// <summary>Not used: this parser only measures reading.</summary>
    public override DnsblServer.Zones.Datasets.Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context) =>
        throw new NotSupportedException("NullLineParser only counts lines");
}
