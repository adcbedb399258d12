using DnsblServer.Serving.Internal;
using System.Buffers.Binary;
using DnsblServer.Serving.Cookies.Internal;
using DnsblServer.Serving.Pipeline;

namespace DnsblServer.Serving.Cookies;

/// <summary>
/// DNS Cookies for the server side (RFC 7873) with interoperable server cookies (RFC 9018 version 1): judges a query's
/// COOKIE option and makes the fresh cookie for the reply. Immutable and shared by every receive loop: no lock, and
/// the work per query (one or two SipHash-2-4 runs over at most 32 bytes) is on the stack.
/// </summary>
/// <remarks>
/// <para>
/// A server cookie is version (1), three reserved bytes (0 when we make it), a 32-bit Unix timestamp and
/// SipHash-2-4(secret, client cookie | version | reserved | timestamp | client address) (RFC 9018 §4). It is accepted
/// from <see cref="MaxAgeSeconds"/> in the past to <see cref="MaxAheadSeconds"/> in the future of our clock (§4.3,
/// serial-number arithmetic so 2106 is no cliff), under the current secret or the previous one (§5, rollover).
/// Replicas behind one address must share the secret for a cookie from one to pass at another.
/// </para>
/// <para>
/// Every reply gets a freshly made cookie (RFC 9018 §4.3 allows a new one for every answer), so a client's cookie
/// never ages out while it keeps asking. An IPv4 client reaching a dual-stack socket (::ffff:a.b.c.d) is hashed by its
/// 4-byte address, as it would be on an IPv4 socket.
/// </para>
/// </remarks>
public sealed class ServerCookies
{
    /// <summary>Bytes in a client cookie (RFC 7873 §4).</summary>
    public const int ClientCookieLength = 8;

    /// <summary>Bytes in the server cookies we make (RFC 9018 §4).</summary>
    public const int ServerCookieLength = 16;

    /// <summary>The RFC 9018 server cookie version we make and accept.</summary>
    public const byte CookieVersion = 1;

    /// <summary>Oldest server cookie accepted, in seconds (RFC 9018 §4.3: one hour).</summary>
    public const int MaxAgeSeconds = 3600;

    /// <summary>How far ahead of our clock a server cookie may be, in seconds (RFC 9018 §4.3: five minutes, for clock skew among replicas).</summary>
    public const int MaxAheadSeconds = 300;

    // RFC 7873 §4: a server cookie is 8 to 32 bytes, so the option is 8 (client alone) or 16 to 40
    private const int MinOptionWithServer = ClientCookieLength + 8;
    private const int MaxOptionWithServer = ClientCookieLength + 32;

    // client cookie, version, reserved, timestamp (16) + an IPv6 address (16)
    private const int MaxMessage = ClientCookieLength + 8 + 16;

    private readonly CookieSecret _secret;
    private readonly CookieSecret _previous;
    private readonly bool _hasPrevious;
    private readonly TimeProvider? _time;

    /// <summary>Cookies made with <paramref name="secret"/>; <paramref name="previous"/> (the secret before a rollover) is still accepted.</summary>
    /// <param name="secret">The secret new cookies are made with.</param>
    /// <param name="previous">A secret whose cookies are still accepted; null for none.</param>
    /// <param name="time">The clock; when null, the coarse clock the key counts use (a clock read per query without a virtual call; tests give a fixed one).</param>
    public ServerCookies(CookieSecret secret, CookieSecret? previous = null, TimeProvider? time = null)
    {
        _secret = secret;
        _previous = previous.GetValueOrDefault();
        _hasPrevious = previous.HasValue;
        _time = time;
    }

    /// <summary>
    /// Judges a query's COOKIE option data (RFC 7873 §5.2) and, unless it is malformed, writes the reply's option data
    /// into <paramref name="reply"/>: the client cookie and a fresh server cookie (24 bytes).
    /// </summary>
    /// <param name="option">The COOKIE option's data as the query sent it.</param>
    /// <param name="clientAddress">The client's address, 4 or 16 bytes in network order (empty when unknown).</param>
    /// <param name="reply">At least <see cref="Wire.ResponseWriter.CookieDataSize"/> bytes.</param>
    /// <returns>
    /// <see cref="CookieStatus.Malformed"/> (a length RFC 7873 §5.2.2 calls FORMERR; nothing written),
    /// <see cref="CookieStatus.ClientOnly"/>, <see cref="CookieStatus.Valid"/> or <see cref="CookieStatus.Invalid"/>.
    /// </returns>
    public CookieStatus Check(ReadOnlySpan<byte> option, ReadOnlySpan<byte> clientAddress, Span<byte> reply)
    {
        bool withServer = option.Length is >= MinOptionWithServer and <= MaxOptionWithServer;
        if (option.Length != ClientCookieLength && !withServer) return CookieStatus.Malformed;
        uint now = Now();
        ReadOnlySpan<byte> address = HashedAddress(clientAddress);
        var status = !withServer ? CookieStatus.ClientOnly
            : IsValid(option, address, now) ? CookieStatus.Valid : CookieStatus.Invalid;
        ReadOnlySpan<byte> client = option[..ClientCookieLength];
        client.CopyTo(reply);
        Make(_secret, client, now, address, reply.Slice(ClientCookieLength, ServerCookieLength));
        return status;
    }

    /// <summary>
    /// True when <paramref name="option"/> (client cookie, then server cookie) holds a version-1 server cookie made
    /// for this client cookie and address with our secret or the previous one, within the accepted age at <paramref name="now"/>.
    /// </summary>
    public bool IsValid(ReadOnlySpan<byte> option, ReadOnlySpan<byte> clientAddress, uint now)
    {
        if (option.Length != ClientCookieLength + ServerCookieLength || option[ClientCookieLength] != CookieVersion) return false;
        int age = (int)(now - BinaryPrimitives.ReadUInt32BigEndian(option[(ClientCookieLength + 4)..]));
        if (age is > MaxAgeSeconds or < -MaxAheadSeconds) return false;

        // the hash covers the cookie as sent (reserved bytes included, RFC 9018 §4.2) and the address
        Span<byte> message = stackalloc byte[MaxMessage];
        option[..16].CopyTo(message);
        clientAddress.CopyTo(message[16..]);
        message = message[..(16 + clientAddress.Length)];
        ulong sent = BinaryPrimitives.ReadUInt64LittleEndian(option[16..]);
        return SipHash24.Hash(_secret.K0, _secret.K1, message) == sent
            || (_hasPrevious && SipHash24.Hash(_previous.K0, _previous.K1, message) == sent);
    }

    /// <summary>Writes the 16-byte RFC 9018 server cookie for <paramref name="clientCookie"/> and <paramref name="clientAddress"/> at <paramref name="timestamp"/>.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="clientCookie">The client's 8-byte cookie.</param>
    /// <param name="timestamp">Unix time, seconds (mod 2^32).</param>
    /// <param name="clientAddress">4 bytes (IPv4) or 16 (IPv6), network order, as <see cref="HashedAddress"/> gives.</param>
    /// <param name="serverCookie">Receives the 16 bytes.</param>
    public static void Make(CookieSecret secret, ReadOnlySpan<byte> clientCookie, uint timestamp, ReadOnlySpan<byte> clientAddress, Span<byte> serverCookie)
    {
        Span<byte> message = stackalloc byte[MaxMessage];
        clientCookie[..ClientCookieLength].CopyTo(message);
        message[8] = CookieVersion;
        message[9] = message[10] = message[11] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(message[12..], timestamp);
        clientAddress.CopyTo(message[16..]);
        ulong hash = SipHash24.Hash(secret.K0, secret.K1, message[..(16 + clientAddress.Length)]);
        message.Slice(8, 8).CopyTo(serverCookie);
        BinaryPrimitives.WriteUInt64LittleEndian(serverCookie[8..], hash); // SipHash's output bytes, as the reference code writes them
    }

    /// <summary>The address bytes a cookie is bound to: an IPv4-mapped IPv6 address (a dual-stack socket) as its 4 IPv4 bytes, anything else as is.</summary>
    public static ReadOnlySpan<byte> HashedAddress(ReadOnlySpan<byte> clientAddress) =>
        clientAddress.Length == 16 && PrefixList.TryGetIpv4(clientAddress, out _)
            ? clientAddress[12..]
            : clientAddress.Length is 4 or 16 ? clientAddress : default;

    /// <summary>Our clock, Unix seconds mod 2^32 (the cookie timestamp's width).</summary>
    public uint Now() => (uint)(_time is null ? CoarseUtcClock.UnixSeconds() : _time.GetUtcNow().ToUnixTimeSeconds());
}
