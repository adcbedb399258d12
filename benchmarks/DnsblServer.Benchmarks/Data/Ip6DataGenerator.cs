using DnsblServer.Addressing;

namespace DnsblServer.Benchmarks.Data;

/// <summary>
/// An IPv6 blocklist like the real ones (Spamhaus, UCEPROTECT, abuse feeds): mostly /64s (one per
/// customer subnet), some /48 and /56 site allocations and some single /128 addresses, clustered in
/// a few thousand provider /32s inside 2000::/3 rather than spread over the whole space.
/// </summary>
internal static class Ip6DataGenerator
{
    /// <summary>One prefix line: network (host bits clear), length, and which value it carries (0 = the file's default).</summary>
    internal readonly record struct Prefix(UInt128 Network, byte Bits, byte Value);

    /// <summary>Share of each prefix length, in percent: /64 85, /48 5, /56 5, /128 5.</summary>
    public static byte BitsFor(int percent) => percent switch { < 85 => 64, < 90 => 48, < 95 => 56, _ => 128 };

    /// <summary>
    /// <paramref name="count"/> distinct prefixes in random order. One in ten carries an explicit value
    /// (1 to 3), the rest the default. Provider /32s: one per 64 entries, at most 16,384.
    /// </summary>
    public static Prefix[] Prefixes(int count, ulong seed)
    {
        var rng = new SplitMix64(seed ^ 0x1F6);
        uint[] providers = Providers(count, seed);
        var seen = new HashSet<(UInt128, byte)>(count);
        var result = new Prefix[count];
        int n = 0;
        while (n < count)
        {
            byte bits = BitsFor(rng.NextInt(100));
            ulong high = ((ulong)providers[rng.NextInt(providers.Length)] << 32) | rng.NextUInt32();
            UInt128 network = new UInt128(high, rng.Next()) & Ip6Text.Mask(bits);
            if (!seen.Add((network, bits))) continue;
            byte value = rng.NextInt(10) == 0 ? (byte)(1 + rng.NextInt(3)) : (byte)0;
            result[n++] = new Prefix(network, bits, value);
        }
        return result;
    }

    /// <summary>The provider /32s (top 32 bits, in 2000::/3) the prefixes of a set of <paramref name="count"/> fall in.</summary>
    public static uint[] Providers(int count, ulong seed)
    {
        var rng = new SplitMix64(seed ^ 0x32);
        var providers = new uint[Math.Clamp(count / 64, 1, 16_384)];
        for (int i = 0; i < providers.Length; i++) providers[i] = 0x2000_0000u | (rng.NextUInt32() & 0x1FFF_FFFF);
        return providers;
    }
}
