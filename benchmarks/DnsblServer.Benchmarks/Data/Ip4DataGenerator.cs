namespace DnsblServer.Benchmarks.Data;

/// <summary>
/// The address sets the benchmarks load. Everything is derived from a seed, so a file written
/// once is the same file every run (and the lookup probes can be re-derived without reading it).
/// </summary>
internal static class Ip4DataGenerator
{
    /// <summary>The seed every data set uses unless told otherwise.</summary>
    public const ulong DefaultSeed = 20251127;

    /// <summary><paramref name="count"/> distinct random addresses, in generation (random) order.</summary>
    public static uint[] DistinctAddresses(int count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var seen = new HashSet<uint>(count);
        var result = new uint[count];
        int n = 0;
        while (n < count)
        {
            uint address = rng.NextUInt32();
            if (seen.Add(address)) result[n++] = address;
        }
        return result;
    }

    /// <summary><paramref name="count"/> distinct random /<paramref name="bits"/> network addresses, in random order.</summary>
    public static uint[] DistinctNetworks(int count, int bits, ulong seed)
    {
        if (count > 1L << bits) throw new ArgumentOutOfRangeException(nameof(count), $"only {1L << bits} /{bits} networks exist");
        var rng = new SplitMix64(seed);
        var seen = new HashSet<uint>(count);
        var result = new uint[count];
        int n = 0;
        uint mask = uint.MaxValue << (32 - bits);
        while (n < count)
        {
            uint network = rng.NextUInt32() & mask;
            if (seen.Add(network)) result[n++] = network;
        }
        return result;
    }

    /// <summary>
    /// A UCEPROTECT-dnsbl-1-like list: <paramref name="count"/> keys sorted by address, of which
    /// a fraction <paramref name="cidrShare"/> are small CIDR blocks (/24 to /29) and the rest
    /// distinct single addresses. Each key is (address, prefix length).
    /// </summary>
    public static (uint Address, byte Bits)[] UceprotectLike(int count, double cidrShare, ulong seed)
    {
        int cidrs = (int)(count * cidrShare);
        uint[] singles = DistinctAddresses(count - cidrs, seed);
        var rng = new SplitMix64(seed ^ 0xC1D2);
        var keys = new ulong[count];
        for (int i = 0; i < singles.Length; i++) keys[i] = ((ulong)singles[i] << 8) | 32;
        for (int i = singles.Length; i < count; i++)
        {
            int bits = 24 + rng.NextInt(6);
            uint network = rng.NextUInt32() & (uint.MaxValue << (32 - bits));
            keys[i] = ((ulong)network << 8) | (uint)bits;
        }
        Array.Sort(keys); // UCEPROTECT's files list addresses in ascending numeric order
        var result = new (uint, byte)[count];
        for (int i = 0; i < count; i++) result[i] = ((uint)(keys[i] >> 8), (byte)keys[i]);
        return result;
    }
}
