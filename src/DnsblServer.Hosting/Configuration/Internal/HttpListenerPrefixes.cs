using System.Net;
using System.Net.Sockets;

namespace DnsblServer.Hosting.Configuration.Internal;

/// <summary>The <see cref="HttpListener"/> prefixes of an endpoint (the metrics and the admin listeners).</summary>
internal static class HttpListenerPrefixes
{
    /// <summary>
    /// The main prefix, then the extra one a loopback endpoint gets: HttpListener matches the request's Host
    /// header against the prefix's host, so an address is written as clients write it ("+" for the
    /// wildcards), and a loopback endpoint also answers to "localhost" (still bound to loopback only).
    /// </summary>
    public static IReadOnlyList<string> For(IPEndPoint endpoint)
    {
        string host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "+"
            : endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        string main = $"http://{host}:{endpoint.Port}/";
        return IPAddress.IsLoopback(endpoint.Address) ? [main, $"http://localhost:{endpoint.Port}/"] : [main];
    }
}
