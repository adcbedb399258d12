using System.Text;
using DnsblServer.Addressing;

namespace DnsblServer.Benchmarks.Data;

/// <summary>The ip6trie and dnset data sets (issue 4: one million entries each, next to rbldnsd).</summary>
internal static partial class BenchmarkData
{
    /// <summary>The explicit values one entry in ten carries (value 1 to 3); the rest take the file's default.</summary>
    private static readonly string[] Ip6Values =
        [":127.0.0.2:Listed, see http://bench.example/lookup?ip=$", ":127.0.0.3:Spam source $", ":127.0.0.4:Botnet controller $", ":127.0.0.10:Dynamic range $"];

    private static readonly string[] DnsValues =
        [":127.0.1.2:Listed in the bench DBL, see http://bench.example/lookup?d=$", ":127.0.1.4:Phishing domain $", ":127.0.1.5:Malware domain $", ":127.0.1.102:Abused legit $"];

    /// <summary>
    /// An ip6trie file of <paramref name="count"/> distinct prefixes in random order (<see cref="Ip6DataGenerator"/>:
    /// 85% /64, 5% each /48, /56 and /128 written as a bare address), one in ten with its own <c>:A:TXT</c> value.
    /// </summary>
    public static DataSetFile Ip6TrieLike(int count = 1_000_000, ulong seed = Ip4DataGenerator.DefaultSeed)
    {
        string path = PathFor($"ip6trie-{count}-s{seed}");
        Ensure(path, writer =>
        {
            WriteHeader(writer, "bench6.example", $"ip6trie: {count} distinct prefixes (85% /64, 5% /48, 5% /56, 5% /128) in provider /32s, random order, seed {seed}",
                Ip6Values[0]);
            var line = new StringBuilder(96);
            foreach (var p in Ip6DataGenerator.Prefixes(count, seed))
            {
                line.Clear().Append(Ip6Text.ToText(p.Network));
                if (p.Bits != 128) line.Append('/').Append(p.Bits);
                if (p.Value != 0) line.Append(' ').Append(Ip6Values[p.Value]);
                writer.WriteLine(line.ToString());
            }
        });
        UInt128 first = FirstIp6(path);
        var nibbles = new StringBuilder(64);
        for (int i = 0; i < 32; i++) nibbles.Append(((int)(first >> (4 * i)) & 15).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append(i < 31 ? "." : "");
        return new DataSetFile($"ip6trie-{Short(count)}", path, count, "bench6.example", 0, "ip6trie", nibbles.ToString());
    }

    /// <summary>
    /// A dnset file of <paramref name="count"/> distinct domain names in random order (<see cref="DnsNameGenerator"/>:
    /// 93% plain, 5% <c>*.name</c>, 2% <c>.name</c>), one in ten with its own <c>:A:TXT</c> value.
    /// </summary>
    public static DataSetFile DnsetLike(int count = 1_000_000, ulong seed = Ip4DataGenerator.DefaultSeed)
    {
        string path = PathFor($"dnset-{count}-s{seed}");
        Ensure(path, writer =>
        {
            WriteHeader(writer, "dbl.bench.example", $"dnset: {count} distinct domain names (93% plain, 5% *.name, 2% .name), random order, seed {seed}",
                DnsValues[0]);
            foreach (var e in DnsNameGenerator.Entries(count, seed))
            {
                writer.WriteLine(e.Value == 0 ? e.Key : $"{e.Key} {DnsValues[e.Value]}");
            }
        });
        string key = FirstKey(path);
        string probe = key.StartsWith("*.", StringComparison.Ordinal) ? "probe" + key[1..] : key.TrimStart('.');
        return new DataSetFile($"dnset-{Short(count)}", path, count, "dbl.bench.example", 0, "dnset", probe);
    }

    /// <summary>The same kind of file as <paramref name="file"/> with one entry: rbldnsd's RSS on it is the baseline to subtract.</summary>
    public static DataSetFile OneEntryLike(DataSetFile file) => file.Type switch
    {
        "ip6trie" => Ip6TrieLike(1),
        "dnset" => DnsetLike(1),
        _ => RandomSingles(1),
    };

    private static string FirstKey(string path)
    {
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] is '#' or '$' or ':') continue;
            int space = line.IndexOf(' ');
            return space < 0 ? line : line[..space];
        }
        throw new InvalidDataException($"{path} lists nothing");
    }

    private static UInt128 FirstIp6(string path)
    {
        byte[] key = Encoding.ASCII.GetBytes(FirstKey(path));
        int pos = 0;
        if (!Ip6Text.TryParseCidr(key, ref pos, out UInt128 address, out _)) throw new InvalidDataException($"{path}: bad first key");
        return address;
    }
}
