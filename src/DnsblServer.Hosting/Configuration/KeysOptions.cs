using System.Net;
using System.Net.Sockets;
using DnsblServer.Hosting.Configuration.Internal;
using DnsblServer.Serving.Keys;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// <c>Dnsbl:Keys</c>: how keyed zones (a <c>zone:keys:file</c> dataset) answer keys they will not serve,
/// how often usage is saved, and the per-key metrics. Converted once into <see cref="KeysSettings"/>.
/// </summary>
public sealed class KeysOptions : IOptionsSection
{
    /// <summary>A record answered for an unknown or missing key (an IPv4 address).</summary>
    /// <remarks>Defaults to <c>127.255.255.254</c>.</remarks>
    public string UnknownKeyAddress { get; set; } = "127.255.255.254";

    /// <summary>TXT answered for an unknown or missing key.</summary>
    /// <remarks>Defaults to <c>access key not known</c>.</remarks>
    public string UnknownKeyText { get; set; } = "access key not known";

    /// <summary>A record answered for a key past its daily quota (an IPv4 address).</summary>
    /// <remarks>Defaults to <c>127.255.255.255</c>.</remarks>
    public string OverQuotaAddress { get; set; } = "127.255.255.255";

    /// <summary>TXT answered for a key past its daily quota.</summary>
    /// <remarks>Defaults to <c>daily query quota of this access key exceeded</c>.</remarks>
    public string OverQuotaText { get; set; } = "daily query quota of this access key exceeded";

    /// <summary>TTL of those two answers, rbldnsd time syntax.</summary>
    /// <remarks>Defaults to <c>60</c> seconds.</remarks>
    public string Ttl { get; set; } = "60";

    /// <summary>How often the usage counts are written (also at shutdown), rbldnsd time syntax, 1s to 10m.</summary>
    /// <remarks>Defaults to <c>10s</c>.</remarks>
    public string SaveInterval { get; set; } = "10s";

    /// <summary>Export <c>dnsbl_key_queries_today{dataset,key}</c>, one series per key.</summary>
    /// <remarks>Defaults to <c>false</c>: per-zone totals only.</remarks>
    public bool PerKeyMetrics { get; set; }

    /// <summary>At most this many per-key series (the keys used most today first), 1 to 100,000.</summary>
    /// <remarks>Defaults to 1000.</remarks>
    public int MaxKeySeries { get; set; } = 1000;

    /// <summary>The immutable settings; problems are added to <paramref name="errors"/> as one line each.</summary>
    internal KeysSettings ToSettings(string? stateDirectory, List<string> errors)
    {
        uint unknown = Address(nameof(UnknownKeyAddress), UnknownKeyAddress, 0x7FFFFFFE, errors);
        uint over = Address(nameof(OverQuotaAddress), OverQuotaAddress, 0x7FFFFFFF, errors);
        uint ttl = 60;
        if (!RbldnsdTime.TryParseInterval(Ttl ?? "", out ttl)) errors.Add($"Dnsbl:Keys:Ttl '{Ttl}': invalid duration (expected {RbldnsdTime.Syntax})");
        uint save = 10;
        if (!RbldnsdTime.TryParseInterval(SaveInterval ?? "", out save) || save is < 1 or > 600)
        {
            errors.Add($"Dnsbl:Keys:SaveInterval '{SaveInterval}': expected a duration from 1s to 10m ({RbldnsdTime.Syntax})");
        }
        if (MaxKeySeries is < 1 or > 100_000) errors.Add($"Dnsbl:Keys:MaxKeySeries {MaxKeySeries}: must be from 1 to 100000");
        foreach (var (name, text) in (ReadOnlySpan<(string, string?)>)[(nameof(UnknownKeyText), UnknownKeyText), (nameof(OverQuotaText), OverQuotaText)])
        {
            if (string.IsNullOrEmpty(text) || System.Text.Encoding.UTF8.GetByteCount(text) > 255) errors.Add($"Dnsbl:Keys:{name}: must be 1 to 255 bytes");
        }
        return new KeysSettings
        {
            Answers = new KeyOptions
            {
                UnknownKeyAddress = unknown,
                UnknownKeyText = UnknownKeyText ?? "",
                OverQuotaAddress = over,
                OverQuotaText = OverQuotaText ?? "",
                Ttl = ttl,
                StateDirectory = stateDirectory,
            },
            SaveInterval = TimeSpan.FromSeconds(Math.Clamp(save, 1, 600)),
            PerKeyMetrics = PerKeyMetrics,
            MaxKeySeries = MaxKeySeries,
        };
    }

    private static uint Address(string name, string? text, uint fallback, List<string> errors)
    {
        if (IPAddress.TryParse(text ?? "", out var address) && address.AddressFamily == AddressFamily.InterNetwork && text!.Count(c => c == '.') == 3)
        {
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        }
        errors.Add($"Dnsbl:Keys:{name} '{text}': expected an IPv4 address such as 127.255.255.254");
        return fallback;
    }
}

/// <summary>The keyed-access settings (<c>Dnsbl:Keys</c>), validated.</summary>
public sealed record KeysSettings
{
    /// <summary>The code answers and where usage and key journals are kept.</summary>
    /// <remarks>Defaults to <see cref="KeyOptions"/>'s defaults.</remarks>
    public KeyOptions Answers { get; init; } = new();

    /// <summary>How often usage counts are written.</summary>
    /// <remarks>Defaults to 10 seconds.</remarks>
    public TimeSpan SaveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Export one series per key.</summary>
    /// <remarks>Defaults to false.</remarks>
    public bool PerKeyMetrics { get; init; }

    /// <summary>Cap on per-key series.</summary>
    /// <remarks>Defaults to 1000.</remarks>
    public int MaxKeySeries { get; init; } = 1000;
}
