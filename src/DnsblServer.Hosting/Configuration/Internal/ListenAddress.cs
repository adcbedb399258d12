using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace DnsblServer.Hosting.Configuration.Internal;

/// <summary>
/// Listen address syntax. The rbldnsd form is <c>addr[/port]</c> (split at the first <c>/</c>, as <c>initsockets()</c>
/// in rbldnsd.c). Differences from rbldnsd, all deliberate:
/// host names are resolved only in <c>-b</c> (every address bound, as rbldnsd does; init scripts use <c>-b localhost/5300</c>),
/// never in <c>Dnsbl:Listen</c>, which takes numeric addresses only;
/// the only service name accepted is <c>domain</c>; ports above 65535 are refused (rbldnsd wraps them);
/// <c>[v6]</c> brackets are accepted (rbldnsd refuses them).
/// </summary>
internal static class ListenAddress
{
    /// <summary>Parses the rbldnsd <c>-b</c> form: <c>addr</c>, <c>addr/</c>, <c>addr/port</c>, <c>[v6]/port</c>.</summary>
    public static bool TryParseRbldnsd(string value, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        int slash = value.IndexOf('/');
        string host = slash < 0 ? value : value[..slash];
        string port = slash < 0 ? "" : value[(slash + 1)..];
        if (host.Length == 0)
        {
            error = "missing host part (expected addr[/port])";
            return false;
        }

        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }

        if (TryCreate(host, port, out endpoint, out error))
        {
            return true;
        }

        if (host.Contains("]:", StringComparison.Ordinal) || (host.Contains(':') && host.IndexOf(':') == host.LastIndexOf(':')))
        {
            error += "; rbldnsd separates the port with '/', e.g. 127.0.0.1/5300 or ::1/5300";
        }

        return false;
    }

    /// <summary>
    /// The rbldnsd <c>-b</c> form with a host name too: <c>localhost/5300</c> becomes an endpoint for every address the
    /// name resolves to (rbldnsd's <c>getaddrinfo</c> with <c>AI_PASSIVE</c>). A numeric address is not looked up.
    /// </summary>
    public static bool TryResolveRbldnsd(string value, out IReadOnlyList<IPEndPoint> endpoints, [NotNullWhen(false)] out string? error)
    {
        endpoints = [];
        if (TryParseRbldnsd(value, out IPEndPoint? endpoint, out error))
        {
            endpoints = [endpoint];
            return true;
        }

        int slash = value.IndexOf('/');
        string host = slash < 0 ? value : value[..slash];
        if (!LooksLikeHostname(host) || !TryParsePort(slash < 0 ? "" : value[(slash + 1)..], out int port))
        {
            return false; // the numeric parser's message says what is wrong
        }

        try
        {
            endpoints = [.. Dns.GetHostAddresses(host).Distinct().Select(a => new IPEndPoint(a, port))];
        }
        catch (System.Net.Sockets.SocketException e)
        {
            error = $"cannot resolve host '{host}': {e.Message}";
            return false;
        }

        error = endpoints.Count == 0 ? $"host '{host}' has no address" : null;
        return error is null;
    }

    /// <summary>
    /// Parses the configuration-file form: anything <see cref="TryParseRbldnsd"/> accepts, plus
    /// <c>ipv4:port</c> and <c>[ipv6]:port</c>. A bare IPv6 address (<c>::1</c>) means port 53.
    /// </summary>
    public static bool TryParseConfig(string value, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        if (value.Contains('/'))
        {
            return TryParseRbldnsd(value, out endpoint, out error);
        }

        endpoint = null;
        if (value.StartsWith('['))
        {
            int close = value.IndexOf(']');
            if (close < 0 || (close + 1 < value.Length && value[close + 1] != ':'))
            {
                error = "expected [ipv6] or [ipv6]:port";
                return false;
            }

            string port = close + 1 < value.Length ? value[(close + 2)..] : "";
            if (close + 1 < value.Length && port.Length == 0)
            {
                error = "missing port after ':'";
                return false;
            }

            return TryCreate(value[1..close], port, out endpoint, out error);
        }

        int colon = value.IndexOf(':');
        if (colon >= 0 && colon == value.LastIndexOf(':'))
        {
            // One colon: ipv4:port. (Two or more: an IPv6 address without port.)
            if (value.Length == colon + 1)
            {
                error = "missing port after ':'";
                return false;
            }

            return TryCreate(value[..colon], value[(colon + 1)..], out endpoint, out error);
        }

        return TryCreate(value, "", out endpoint, out error);
    }

    private static bool TryCreate(string host, string port, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (!TryParsePort(port, out int portNumber))
        {
            error = $"invalid port '{port}' (expected 0-65535 or 'domain')";
            return false;
        }

        // IPAddress.TryParse would accept "[::1]:99" and drop the port, so brackets never reach it.
        if (host.Length == 0 || host.Contains('[') || host.Contains(']')
            || !IPAddress.TryParse(host, out IPAddress? address))
        {
            error = LooksLikeHostname(host)
                ? $"'{host}' is not a numeric IP address; hostnames are not resolved, give the address (e.g. 127.0.0.1 or ::1)"
                : $"invalid IP address '{host}'";
            return false;
        }

        endpoint = new IPEndPoint(address, portNumber);
        error = null;
        return true;
    }

    private static bool TryParsePort(string port, out int number)
    {
        number = ServerSettings.DefaultPort;
        if (port.Length == 0 || port == "domain")
        {
            return true;
        }

        return port.All(char.IsAsciiDigit)
            && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number <= IPEndPoint.MaxPort;
    }

    private static bool LooksLikeHostname(string host) =>
        host.Length > 0 && host.Any(char.IsAsciiLetter) && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');
}
