using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// One dataset type's line parser and builder, through the real loader (<see cref="DatasetLoader.Load"/>, the
/// same call that PUT /v1/files validates an upload with): the input is the whole file. The loader is documented
/// never to throw for bad data (a bad line is a warning, a fatal one the load's error), so any exception is a bug.
/// The loaded dataset is then looked up (<see cref="DatasetProbe"/>).
/// </summary>
internal sealed class DatasetTarget(string type) : IFuzzTarget
{
    private static readonly DateTimeOffset FixedNow = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // gzip off: a small input could inflate to gigabytes, which tests the framework's inflater rather than our parsers
    private static readonly LoadOptions Plain = new() { NoGzip = true, Now = () => FixedNow };
    private static readonly LoadOptions HostBits = Plain with { AcceptHostBits = true };

    public string Name => type;

    public void FuzzTarget(ReadOnlySpan<byte> bytes)
    {
        string file = ScratchFile.Write(bytes);
        // rbldnsd -e (host bits masked off) on odd lengths: one more byte flips it, so afl reaches both paths
        var result = DatasetLoader.Load(type, [file], bytes.Length % 2 == 1 ? HostBits : Plain);
        if (result.Dataset is null && result.Error is null) throw new InvalidOperationException("load gave neither a dataset nor an error");
        if (result.Dataset is { } dataset) DatasetProbe.Probe(dataset, bytes);
    }
}
