namespace DnsblServer.Benchmarks.Data;

/// <summary>
/// Domain names like a domain blocklist's (Spamhaus DBL, SURBL): a registered name of 3 to 20
/// characters (letters, some digits and hyphens) under a TLD drawn by rough popularity, a quarter of
/// them with one more label in front (www, mail, a random host), 18 characters on average.
/// </summary>
internal static class DnsNameGenerator
{
    /// <summary>How a name is written in a dnset file.</summary>
    internal enum Form : byte
    {
        /// <summary><c>name</c>: the name itself.</summary>
        Plain,
        /// <summary><c>*.name</c>: every name under it, not the name itself.</summary>
        Wildcard,
        /// <summary><c>.name</c>: the name and every name under it.</summary>
        Both,
    }

    /// <summary>One dnset line: the name, its form, and which value it carries (0 = the file's default).</summary>
    internal readonly record struct Entry(string Name, Form Form, byte Value)
    {
        /// <summary>The key as written in the file.</summary>
        public string Key => Form switch { Form.Wildcard => "*." + Name, Form.Both => "." + Name, _ => Name };
    }

    // weights out of 100, roughly the mix of TLDs in domain blocklists
    private static readonly (string Tld, int Weight)[] Tlds =
    [
        ("com", 42), ("net", 8), ("org", 5), ("info", 4), ("xyz", 5), ("top", 5), ("ru", 5), ("online", 3), ("site", 3),
        ("shop", 3), ("de", 2), ("co.uk", 2), ("com.br", 2), ("cn", 2), ("icu", 2), ("club", 2), ("io", 1), ("biz", 2), ("pl", 2),
    ];

    private static readonly string[] Hosts = ["www", "mail", "m", "login", "secure", "app", "cdn", "api"];

    /// <summary><paramref name="count"/> distinct names in random order: 93% plain, 5% <c>*.name</c>, 2% <c>.name</c>; one in ten with an explicit value (1 to 3).</summary>
    public static Entry[] Entries(int count, ulong seed)
    {
        var rng = new SplitMix64(seed ^ 0xD45E7);
        var seen = new HashSet<string>(count);
        var result = new Entry[count];
        int n = 0;
        while (n < count)
        {
            string name = NextName(ref rng);
            if (!seen.Add(name)) continue;
            int roll = rng.NextInt(100);
            Form form = roll < 93 ? Form.Plain : roll < 98 ? Form.Wildcard : Form.Both;
            byte value = rng.NextInt(10) == 0 ? (byte)(1 + rng.NextInt(3)) : (byte)0;
            result[n++] = new Entry(name, form, value);
        }
        return result;
    }

    /// <summary>A random name from the same distribution (used for probes that are most likely not listed).</summary>
    public static string NextName(ref SplitMix64 rng)
    {
        string domain = Label(ref rng, 3 + rng.NextInt(9) + rng.NextInt(9)) + "." + Tld(ref rng);
        if (rng.NextInt(4) != 0) return domain;
        return (rng.NextInt(2) == 0 ? Hosts[rng.NextInt(Hosts.Length)] : Label(ref rng, 3 + rng.NextInt(8))) + "." + domain;
    }

    /// <summary>A random host label (letters and digits) to put in front of a wildcard's name.</summary>
    public static string Label(ref SplitMix64 rng, int length)
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyz";
        const string Inner = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789-";
        Span<char> label = stackalloc char[length];
        for (int i = 0; i < length; i++)
        {
            label[i] = i == 0 || i == length - 1 ? Letters[rng.NextInt(Letters.Length)] : Inner[rng.NextInt(Inner.Length)];
        }
        return new string(label);
    }

    private static string Tld(ref SplitMix64 rng)
    {
        int roll = rng.NextInt(100);
        foreach (var (tld, weight) in Tlds)
        {
            if (roll < weight) return tld;
            roll -= weight;
        }
        return "com";
    }
}
