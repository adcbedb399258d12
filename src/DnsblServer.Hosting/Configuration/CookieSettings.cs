using DnsblServer.Serving.Cookies;

namespace DnsblServer.Hosting.Configuration;

/// <summary>DNS Cookies (RFC 7873, RFC 9018), validated from <see cref="CookieOptions"/>.</summary>
public sealed record CookieSettings
{
    /// <summary>Whether COOKIE options are answered.</summary>
    /// <remarks>Defaults to <c>true</c>.</remarks>
    public bool Enabled { get; init; } = true;

    /// <summary>The server secret; null for a random one at start.</summary>
    /// <remarks>Defaults to <c>null</c>.</remarks>
    public CookieSecret? Secret { get; init; }

    /// <summary>The secret before a rollover, still accepted; null for none.</summary>
    /// <remarks>Defaults to <c>null</c>.</remarks>
    public CookieSecret? PreviousSecret { get; init; }
}
