using System.ComponentModel;
using System.Globalization;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// One entry of <c>Dnsbl:Zones</c>: either an object <c>{ "Name", "Type", "Files": [...] }</c> or an rbldnsd-style
/// string <c>"zone:type:file[,file...]"</c> (bound through <see cref="ZoneOptionsConverter"/> into <see cref="Spec"/>).
/// </summary>
[TypeConverter(typeof(ZoneOptionsConverter))]
public sealed class ZoneOptions
{
    /// <summary>Zone name, e.g. <c>bl.example.org</c>; empty only for the global ACL.</summary>
    /// <remarks>Defaults to <c>null</c> (required unless <see cref="Spec"/> is set).</remarks>
    public string? Name { get; set; }

    /// <summary>Dataset type, e.g. <c>ip4set</c>.</summary>
    /// <remarks>Defaults to <c>null</c> (required unless <see cref="Spec"/> is set).</remarks>
    public string? Type { get; set; }

    /// <summary>Data files, relative to the working directory unless absolute. Taken verbatim (not split).</summary>
    /// <remarks>Defaults to empty (at least one required unless <see cref="Spec"/> is set).</remarks>
    public List<string> Files { get; set; } = [];

    /// <summary>rbldnsd-style spec; when set, <see cref="Name"/>, <see cref="Type"/> and <see cref="Files"/> are ignored.</summary>
    /// <remarks>Defaults to <c>null</c>.</remarks>
    public string? Spec { get; set; }
}

/// <summary>Lets a plain string element of <c>Dnsbl:Zones</c> bind to <see cref="ZoneOptions.Spec"/>.</summary>
public sealed class ZoneOptionsConverter : TypeConverter
{
    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string spec ? new ZoneOptions { Spec = spec } : base.ConvertFrom(context, culture, value);
}
