namespace DnsblServer.Benchmarks.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator whose output is fixed by its
/// seed alone, so every data set is the same on every machine and .NET version
/// (System.Random's seeded sequence is an implementation detail).
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A random IPv4 address (any 32-bit value).</summary>
    public uint NextUInt32() => (uint)(Next() >> 32);

    /// <summary>A random int in [0, <paramref name="max"/>).</summary>
    public int NextInt(int max) => (int)((Next() >> 33) % (ulong)max);
}
