using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;

namespace DnsblServer.Benchmarks.Data;

/// <summary>Loads a generated file the way the server does, failing loudly when the load fails.</summary>
internal static class DatasetFiles
{
    /// <summary>The load result of <paramref name="file"/> as its type (or <paramref name="type"/>).</summary>
    public static DatasetLoadResult Load(DataSetFile file, string? type = null)
    {
        type ??= file.Type;
        var result = DatasetLoader.Load(type, [file.Path], LoadOptions.Default);
        if (!result.Succeeded) throw new InvalidOperationException($"loading {file.Path} failed: {result.Error}");
        return result;
    }

    /// <summary>The loaded dataset of <paramref name="file"/>.</summary>
    public static Ip4Dataset LoadIp4(DataSetFile file, string? type = null) =>
        (Ip4Dataset)Load(file, type).Dataset!;
}
