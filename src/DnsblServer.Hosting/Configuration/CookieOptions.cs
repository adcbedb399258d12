namespace DnsblServer.Hosting.Configuration;

/// <summary><c>Dnsbl:Cookies</c>: DNS Cookies (RFC 7873, server cookies as RFC 9018), which rbldnsd does not have.</summary>
public sealed class CookieOptions : IOptionsSection
{
    /// <summary>Answer COOKIE options: echo the client cookie with a server cookie, FORMERR for a malformed one.</summary>
    /// <remarks>Defaults to <c>true</c>.</remarks>
    public bool Enabled { get; set; } = true;

    /// <summary>The server secret, 32 hex digits (16 bytes); replicas behind one address must share it.</summary>
    /// <remarks>Defaults to <c>null</c>: a random secret at each start.</remarks>
    public string? Secret { get; set; }

    /// <summary>The secret before a rollover, 32 hex digits; server cookies made with it are still accepted.</summary>
    /// <remarks>Defaults to <c>null</c>: none.</remarks>
    public string? PreviousSecret { get; set; }
}
