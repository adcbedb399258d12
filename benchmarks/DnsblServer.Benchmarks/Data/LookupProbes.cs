using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;

namespace DnsblServer.Benchmarks.Data;

/// <summary>
/// Query addresses for lookup benchmarks: half listed (a random address inside a random entry of
/// the built map), half not listed (random addresses the dataset does not list), shuffled so the
/// branch predictor cannot learn the pattern.
/// </summary>
internal static class LookupProbes
{
    /// <summary><paramref name="count"/> probes over <paramref name="dataset"/>.</summary>
    public static uint[] Create(Ip4Dataset dataset, int count, ulong seed = Ip4DataGenerator.DefaultSeed)
    {
        var entries = dataset.Map.Entries().ToArray();
        if (entries.Length == 0) throw new InvalidOperationException("the dataset lists nothing");
        var rng = new SplitMix64(seed ^ 0x9E0BE5);
        var probes = new uint[count];
        int listed = count / 2;
        for (int i = 0; i < listed; i++)
        {
            var (first, last, _) = entries[rng.NextInt(entries.Length)];
            probes[i] = first + (uint)(rng.Next() % ((ulong)last - first + 1));
        }
        for (int i = listed; i < count; i++)
        {
            uint address;
            do address = rng.NextUInt32(); while (!dataset.Lookup(address).IsEmpty);
            probes[i] = address;
        }
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (probes[i], probes[j]) = (probes[j], probes[i]);
        }
        return probes;
    }
}
