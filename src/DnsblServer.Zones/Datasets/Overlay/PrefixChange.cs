using System.Numerics;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Overlay;

/// <summary>One pushed change to an address dataset: a prefix listed with a value, or removed (not listed).</summary>
/// <typeparam name="T">The address type: <see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6.</typeparam>
/// <param name="Address">The first address of the prefix (host bits clear).</param>
/// <param name="Bits">The prefix length.</param>
/// <param name="Value">The value answered for the prefix; null when the change removes it.</param>
public readonly record struct PrefixChange<T>(T Address, int Bits, DnsblValue? Value)
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>Address width in bits (32 or 128).</summary>
    public static int Width => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * 8;

    /// <summary>The last address of the prefix.</summary>
    public T Last => Bits >= Width ? Address : Address | (T.AllBitsSet >>> Bits);

    /// <summary>True when the change lists the prefix; false when it removes it.</summary>
    public bool IsAdd => Value is not null;
}
