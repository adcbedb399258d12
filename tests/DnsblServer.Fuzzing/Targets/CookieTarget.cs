using DnsblServer.Serving.Cookies;
using DnsblServer.Serving.Pipeline;
using DnsblServer.Wire;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// The DNS COOKIE parser: byte 0 picks the client address (IPv4, IPv6, IPv4-mapped, none) and the clock (now, an hour
/// on, the 2106 wrap), the rest is the option's data. It goes through the query reader inside an OPT RR (the reader
/// must find exactly these bytes) and <see cref="ServerCookies.Check"/>. Checks: the status follows RFC 7873's
/// lengths, a non-malformed reply echoes the client cookie with a server cookie that verifies for the same client,
/// and a cookie judged valid verifies on its own.
/// </summary>
internal sealed class CookieTarget : IFuzzTarget
{
    private static readonly CookieSecret Secret = CookieSecret.FromBytes([.. Enumerable.Range(1, 16).Select(i => (byte)i)]);
    private static readonly CookieSecret Previous = CookieSecret.FromBytes(new byte[16]);
    private static readonly byte[][] Addresses = [[192, 0, 2, 1], [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1], []];
    private static readonly long[] Clocks = [1_700_000_000, 1_700_003_600, uint.MaxValue + 5L];

    public string Name => "cookie";

    public void FuzzTarget(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        byte[] address = Addresses[bytes[0] & 3];
        var cookies = new ServerCookies(Secret, (bytes[0] & 4) != 0 ? Previous : null, new Clock(Clocks[(bytes[0] >> 3) % Clocks.Length]));
        ReadOnlySpan<byte> option = bytes[1..];
        if (option.Length > 1000) option = option[..1000];

        // the reader: a query for "x." with an OPT RR holding this option
        byte[] packet = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, (byte)'x', 0, 0, 1, 0, 1,
            0, 0, 41, 4, 0xd0, 0, 0, 0, 0, (byte)((option.Length + 4) >> 8), (byte)(option.Length + 4), 0, 10, (byte)(option.Length >> 8), (byte)option.Length, .. option];
        if (QueryReader.Read(packet, new byte[255], new byte[128], out var query) != QueryReadStatus.Ok || !query.Edns.Cookie(packet).SequenceEqual(option))
        {
            throw new InvalidOperationException("the reader did not find the COOKIE option as sent");
        }

        Span<byte> reply = stackalloc byte[ResponseWriter.CookieDataSize];
        reply.Fill(0xEE);
        var status = cookies.Check(option, address, reply);
        var expected = option.Length == 8 ? CookieStatus.ClientOnly : option.Length is >= 16 and <= 40 ? status : CookieStatus.Malformed;
        if (status != expected || status == CookieStatus.None || (status == CookieStatus.Valid && option.Length != 24))
        {
            throw new InvalidOperationException($"a {option.Length}-byte cookie was judged {status}");
        }
        if (status == CookieStatus.Malformed) return;
        if (!reply[..8].SequenceEqual(option[..8]) || !cookies.IsValid(reply, ServerCookies.HashedAddress(address), cookies.Now()))
        {
            throw new InvalidOperationException("the reply's cookie does not verify for the client it was made for");
        }
        if (status == CookieStatus.Valid != cookies.IsValid(option, ServerCookies.HashedAddress(address), cookies.Now()))
        {
            throw new InvalidOperationException("Check and IsValid disagree");
        }
    }

    private sealed class Clock(long unixSeconds) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
    }
}
