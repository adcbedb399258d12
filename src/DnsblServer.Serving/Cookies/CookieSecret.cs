using System.Buffers.Binary;
using DnsblServer.Serving.Internal;

namespace DnsblServer.Serving.Cookies;

/// <summary>
/// A 16-byte server secret, the SipHash-2-4 key of RFC 9018 server cookies. Kept as the two key words SipHash reads,
/// so a query loads two ulongs and touches no array.
/// </summary>
public readonly struct CookieSecret : IEquatable<CookieSecret>
{
    /// <summary>Bytes in a secret (a SipHash key).</summary>
    public const int Length = 16;

    /// <summary>Hex digits in a secret's text form (<c>Dnsbl:Cookies:Secret</c>).</summary>
    public const int HexLength = 2 * Length;

    private CookieSecret(ulong k0, ulong k1)
    {
        K0 = k0;
        K1 = k1;
    }

    /// <summary>Key bytes 0-7, little-endian.</summary>
    internal ulong K0 { get; }

    /// <summary>Key bytes 8-15, little-endian.</summary>
    internal ulong K1 { get; }

    /// <summary>The secret made of <paramref name="bytes"/> (exactly <see cref="Length"/> of them).</summary>
    public static CookieSecret FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"A cookie secret is {Length} bytes.", nameof(bytes));
        return new(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
    }

    /// <summary>A secret from the system's cryptographic random generator.</summary>
    public static CookieSecret Random()
    {
        Span<byte> bytes = stackalloc byte[Length];
        SecureRandom.Fill(bytes);
        return FromBytes(bytes);
    }

    /// <summary>Reads 32 hex digits (either case), as RFC 9018 Appendix A writes secrets.</summary>
    /// <returns>False when <paramref name="hex"/> is not exactly 32 hex digits.</returns>
    public static bool TryParseHex(string? hex, out CookieSecret secret)
    {
        secret = default;
        if (hex is null || hex.Length != HexLength) return false;
        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Length) return false;
        secret = FromBytes(bytes);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(CookieSecret other) => K0 == other.K0 && K1 == other.K1;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CookieSecret other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(K0, K1);

    /// <summary>Equality.</summary>
    public static bool operator ==(CookieSecret left, CookieSecret right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(CookieSecret left, CookieSecret right) => !left.Equals(right);

    /// <summary>Never the key: a secret must not reach a log by accident.</summary>
    public override string ToString() => "CookieSecret(16 bytes)";
}
