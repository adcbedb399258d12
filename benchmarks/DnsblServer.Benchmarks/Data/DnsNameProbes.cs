using System.Runtime.CompilerServices;
using System.Text;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Dns;

namespace DnsblServer.Benchmarks.Data;

/// <summary>
/// Query names for dnset lookups, in the form the resolver hands the dataset (lowercase wire labels
/// below the zone, with each label's offset): half listed (a listed plain name, or a random host under
/// a <c>*.name</c> or <c>.name</c> entry), half not listed (a quarter of all probes a fresh random
/// name, a quarter a random host under a plain-listed name, which misses the plain array and then
/// searches the wildcard array suffix by suffix), shuffled.
/// </summary>
internal sealed class DnsNameProbes
{
    private readonly byte[] _names;
    private readonly int[] _nameStart;   // probe i is _names[_nameStart[i] .. _nameStart[i + 1]]
    private readonly byte[] _offsets;
    private readonly int[] _offsetStart; // its label offsets are _offsets[_offsetStart[i] .. _offsetStart[i + 1]]

    private DnsNameProbes(List<string> names)
    {
        var wire = new List<byte>();
        var offsets = new List<byte>();
        _nameStart = new int[names.Count + 1];
        _offsetStart = new int[names.Count + 1];
        for (int i = 0; i < names.Count; i++)
        {
            int start = wire.Count;
            foreach (string label in names[i].Split('.'))
            {
                offsets.Add((byte)(wire.Count - start));
                wire.Add((byte)label.Length);
                wire.AddRange(Encoding.ASCII.GetBytes(label));
            }
            _nameStart[i + 1] = wire.Count;
            _offsetStart[i + 1] = offsets.Count;
        }
        _names = [.. wire];
        _offsets = [.. offsets];
    }

    /// <summary>Number of probes.</summary>
    public int Count => _nameStart.Length - 1;

    /// <summary><paramref name="count"/> probes over <paramref name="dataset"/>, loaded from <c>DnsetLike(entries, seed)</c>.</summary>
    public static DnsNameProbes Create(DnsSetDataset dataset, int entries, int count, ulong seed = Ip4DataGenerator.DefaultSeed)
    {
        var listedEntries = DnsNameGenerator.Entries(entries, seed);
        var plain = listedEntries.Where(e => e.Form == DnsNameGenerator.Form.Plain).ToArray();
        var rng = new SplitMix64(seed ^ 0xD9E0BE);
        var names = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            string name;
            bool wantListed = i < count / 2;
            do
            {
                if (wantListed)
                {
                    var e = listedEntries[rng.NextInt(listedEntries.Length)];
                    name = e.Form == DnsNameGenerator.Form.Wildcard || (e.Form == DnsNameGenerator.Form.Both && rng.NextInt(2) == 0)
                        ? DnsNameGenerator.Label(ref rng, 3 + rng.NextInt(8)) + "." + e.Name
                        : e.Name;
                }
                else
                {
                    name = i % 2 == 0 ? DnsNameGenerator.NextName(ref rng) : DnsNameGenerator.Label(ref rng, 3 + rng.NextInt(8)) + "." + plain[rng.NextInt(plain.Length)].Name;
                }
            }
            while (IsListed(dataset, name) != wantListed);
            names.Add(name);
        }
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (names[i], names[j]) = (names[j], names[i]);
        }
        return new DnsNameProbes(names);
    }

    /// <summary>The probes the dataset lists (or does not), as a new set.</summary>
    public DnsNameProbes Where(DnsSetDataset dataset, bool listed)
    {
        var names = new List<string>();
        for (int i = 0; i < Count; i++)
        {
            string name = NameAt(i);
            if (IsListed(dataset, name) == listed) names.Add(name);
        }
        return new DnsNameProbes(names);
    }

    /// <summary>Looks every probe up; returns the number of values found (so the work is not optimized away).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public int Walk(DnsSetDataset dataset)
    {
        int found = 0;
        for (int i = 0; i < _nameStart.Length - 1; i++)
        {
            var name = _names.AsSpan(_nameStart[i], _nameStart[i + 1] - _nameStart[i]);
            int first = _offsetStart[i], labels = _offsetStart[i + 1] - first;
            if (dataset.TryLookup(name, _offsets.AsSpan(first, labels), labels, out var values, out _)) found += values.Length;
        }
        return found;
    }

    /// <summary>Average name length in text form (without the zone).</summary>
    public double AverageTextLength => (double)(_names.Length - Count) / Count;

    private string NameAt(int i)
    {
        var parts = new List<string>();
        for (int pos = _nameStart[i]; pos < _nameStart[i + 1]; pos += _names[pos] + 1)
        {
            parts.Add(Encoding.ASCII.GetString(_names, pos + 1, _names[pos]));
        }
        return string.Join('.', parts);
    }

    private static bool IsListed(DnsSetDataset dataset, string name)
    {
        var wire = new List<byte>();
        foreach (string label in name.Split('.'))
        {
            wire.Add((byte)label.Length);
            wire.AddRange(Encoding.ASCII.GetBytes(label));
        }
        return dataset.TryLookup(wire.ToArray(), out _, out _);
    }
}
