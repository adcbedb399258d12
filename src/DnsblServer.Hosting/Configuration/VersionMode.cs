namespace DnsblServer.Hosting.Configuration;

/// <summary>How the server answers <c>version.bind</c> / <c>version.server</c> CH TXT queries (rbldnsd <c>-v</c>).</summary>
public enum VersionMode
{
    /// <summary>Full version string (no <c>-v</c>).</summary>
    Normal = 0,

    /// <summary>Just <c>"rbldnsd"</c>, no version number (one <c>-v</c>).</summary>
    Short = 1,

    /// <summary>REFUSED (two or more <c>-v</c>).</summary>
    Refused = 2,
}
