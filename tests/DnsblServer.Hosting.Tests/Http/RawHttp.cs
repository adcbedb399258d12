using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace DnsblServer.Hosting.Tests.Http;

/// <summary>HTTP as bytes on a TCP socket: for requests no HTTP client would send, and to count the responses that come back.</summary>
internal static partial class RawHttp
{
    /// <summary>Sends <paramref name="request"/> and reads until the server closes or <paramref name="quiet"/> passes with nothing new.</summary>
    public static string Exchange(int port, string request, IPAddress? address = null, TimeSpan? quiet = null)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(address ?? IPAddress.Loopback, port);
        socket.Send(Encoding.ASCII.GetBytes(request));
        socket.ReceiveTimeout = (int)(quiet ?? TimeSpan.FromSeconds(3)).TotalMilliseconds;
        var received = new MemoryStream();
        var buffer = new byte[65536];
        try
        {
            int read;
            while ((read = socket.Receive(buffer)) > 0) received.Write(buffer, 0, read);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.ConnectionReset)
        {
            // nothing more within the quiet time, or the server reset the connection after answering
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>The status codes of every response in <paramref name="text"/>, in order.</summary>
    public static int[] Statuses(string text) => [.. StatusLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"(?m)^HTTP/1\.[01] (\d{3}) ")]
    private static partial Regex StatusLine();
}
