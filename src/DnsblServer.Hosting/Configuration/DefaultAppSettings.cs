using System.Text;
using Microsoft.Extensions.Configuration;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// Built-in configuration used when nothing else says what to serve (no rbldnsd arguments and no
/// <c>Dnsbl:Listen</c>/<c>Dnsbl:Zones</c>): the sample zones on an unprivileged local port, so a bare
/// <c>DnsblServer</c> in the repository root answers <c>dig @127.0.0.1 -p 5300 2.0.0.127.dnsbl-1.uceprotect.example</c>.
/// </summary>
public static class DefaultAppSettings
{
    /// <summary>The built-in settings as appsettings.json text. Zone files are relative to the working directory and need not exist yet.</summary>
    public const string Json = """
        {
          "Dnsbl": {
            "Listen": [ "127.0.0.1/5300" ],
            "Zones": [
              "dnsbl-1.uceprotect.example:ip4set:zones/dnsbl-1.txt",
              "dnsbl-2.uceprotect.example:ip4set:zones/dnsbl-2.txt",
              "dnsbl-6.uceprotect.example:ip6trie:zones/dnsbl-6.txt",
              "dbl.uceprotect.example:dnset:zones/dbl.txt"
            ],
            "Exempt": [
              { "Name": "microsoft-eop", "Files": [ "zones/exempt/microsoft-eop.txt" ] }
            ]
          }
        }
        """;

    /// <summary>A new stream over <see cref="Json"/> (UTF-8).</summary>
    public static Stream OpenStream() => new MemoryStream(Encoding.UTF8.GetBytes(Json), writable: false);

    /// <summary><see cref="Json"/> bound to <see cref="DnsblOptions"/>.</summary>
    public static DnsblOptions CreateOptions() =>
        DnsblOptions.Bind(new ConfigurationBuilder().AddJsonStream(OpenStream()).Build());
}
