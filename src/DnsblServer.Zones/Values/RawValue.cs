namespace DnsblServer.Zones.Values;

/// <summary>A value as written in the zone file, before TXT expansion: A record and raw TXT text (empty = none).</summary>
public readonly record struct RawValue(uint A, string Text)
{
    /// <summary>rbldnsd's built-in default: 127.0.0.2 and no TXT.</summary>
    public static RawValue BuiltInDefault { get; } = new(0x7f000002, "");
}
