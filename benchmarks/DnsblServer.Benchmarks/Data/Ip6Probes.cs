using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip6;

namespace DnsblServer.Benchmarks.Data;

/// <summary>
/// Query addresses for ip6trie lookups, like <see cref="LookupProbes"/>: half listed (a random address
/// inside a random entry of the built map), half not listed, shuffled. Half of the misses fall in the
/// set's provider /32s (the block search finds the /32 and then misses), half anywhere in 2000::/3.
/// </summary>
internal static class Ip6Probes
{
    /// <summary><paramref name="count"/> probes over <paramref name="dataset"/>, loaded from a file of <paramref name="entries"/> prefixes.</summary>
    public static UInt128[] Create(Ip6Dataset dataset, int entries, int count, ulong seed = Ip4DataGenerator.DefaultSeed)
    {
        var spans = dataset.Map.Entries().Select(e => (e.First, e.Last)).ToArray();
        if (spans.Length == 0) throw new InvalidOperationException("the dataset lists nothing");
        uint[] providers = Ip6DataGenerator.Providers(entries, seed);
        var rng = new SplitMix64(seed ^ 0x9E0BE6);
        var probes = new UInt128[count];
        int listed = count / 2;
        for (int i = 0; i < listed; i++)
        {
            var (first, last) = spans[rng.NextInt(spans.Length)];
            UInt128 size = last - first;
            UInt128 random = new(rng.Next(), rng.Next());
            probes[i] = first + (size == UInt128.MaxValue ? random : random % (size + 1));
        }
        for (int i = listed; i < count; i++)
        {
            UInt128 address;
            do
            {
                ulong top = i % 2 == 0 ? providers[rng.NextInt(providers.Length)] : 0x2000_0000u | (rng.NextUInt32() & 0x1FFF_FFFF);
                address = new UInt128((top << 32) | rng.NextUInt32(), rng.Next());
            }
            while (!dataset.Lookup(address).IsEmpty);
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
