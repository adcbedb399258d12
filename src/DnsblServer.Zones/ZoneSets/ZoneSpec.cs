using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using DnsblServer.Zones.Datasets;

namespace DnsblServer.Zones.ZoneSets;

/// <summary>
/// One <c>zone:type:file[,file...]</c> argument: a zone served from one dataset.
/// Parsed as rbldnsd's <c>addzone()</c>/<c>newdataset()</c> do (rbldnsd_zones.c).
/// </summary>
public sealed record ZoneSpec
{
    private static readonly char[] FileDelimiters = [',', ':'];

    /// <summary>Dataset types a zone spec may name: those of <see cref="DatasetTypes"/> rbldnsd 1.0pre knows (<c>rbldnsd -h</c>). Matched case-sensitively, as rbldnsd does.</summary>
    public static readonly FrozenSet<string> KnownTypes = DatasetTypes.All.Where(t => t.InZoneSpec).Select(t => t.Name).ToFrozenSet(StringComparer.Ordinal);

    private ZoneSpec(string name, string type, ImmutableArray<string> files)
    {
        Name = name;
        Type = type;
        Files = files;
    }

    /// <summary>Zone name: ASCII-lowercased, no trailing dot, empty labels dropped. Empty for the global ACL.</summary>
    public string Name { get; }

    /// <summary>Dataset type, one of <see cref="KnownTypes"/>.</summary>
    public string Type { get; }

    /// <summary>Data files in order, as given (relative to the working directory unless absolute). Never empty.</summary>
    public ImmutableArray<string> Files { get; }

    /// <summary>The dataset key: zones naming the same <c>type:files</c> share one loaded dataset (as in rbldnsd).</summary>
    public string DatasetKey => Type + ":" + string.Join(',', Files);

    /// <summary>Parses a spec that is known to be valid (tests, built-in configuration); throws otherwise.</summary>
    public static ZoneSpec Parse(string spec) =>
        TryParse(spec, out var zone, out string? error) ? zone : throw new FormatException(error);

    /// <summary>True for the global ACL (<c>:acl:file</c>), which applies to every zone.</summary>
    public bool IsGlobalAcl => Name.Length == 0;

    /// <summary>
    /// Parses <c>zone:type:file[,file...]</c>. The file list is split on both <c>,</c> and <c>:</c> and empty items
    /// are dropped (rbldnsd uses <c>strtok(",:")</c>).
    /// </summary>
    /// <param name="spec">The argument.</param>
    /// <param name="zone">The zone, when valid.</param>
    /// <param name="error">Why it is not valid, naming the spec.</param>
    public static bool TryParse(string spec, [NotNullWhen(true)] out ZoneSpec? zone, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        zone = null;
        int first = spec.IndexOf(':');
        if (first < 0)
        {
            error = $"invalid zone spec '{spec}': expected zone:type:file[,file...]";
            return false;
        }

        int second = spec.IndexOf(':', first + 1);
        if (second < 0)
        {
            error = $"invalid zone spec '{spec}': expected zone:type:file[,file...] (no ':' after the dataset type)";
            return false;
        }

        string[] files = spec[(second + 1)..].Split(FileDelimiters, StringSplitOptions.RemoveEmptyEntries);
        return TryCreate(spec, spec[..first], spec[(first + 1)..second], files, out zone, out error);
    }

    /// <summary>Builds a zone from separate fields (JSON form). File names are taken verbatim; empty ones are errors.</summary>
    /// <param name="name">Zone name; empty or <c>.</c> only for the global ACL.</param>
    /// <param name="type">Dataset type.</param>
    /// <param name="files">One or more file names.</param>
    /// <param name="zone">The zone, when valid.</param>
    /// <param name="error">Why it is not valid.</param>
    public static bool TryCreate(string? name, string? type, IEnumerable<string?>? files,
        [NotNullWhen(true)] out ZoneSpec? zone, [NotNullWhen(false)] out string? error)
    {
        string[] list = files?.Select(f => f ?? "").ToArray() ?? [];
        string display = $"{name}:{type}:{string.Join(',', list)}";
        if (list.Any(f => f.Length == 0))
        {
            zone = null;
            error = $"invalid zone '{display}': empty file name";
            return false;
        }

        return TryCreate(display, name ?? "", type ?? "", list, out zone, out error);
    }

    private static bool TryCreate(string display, string name, string type, string[] files,
        [NotNullWhen(true)] out ZoneSpec? zone, [NotNullWhen(false)] out string? error)
    {
        zone = null;
        if (!TryNormalizeName(name, out string? normalized, out string? nameError))
        {
            error = $"invalid zone '{display}': {nameError}";
            return false;
        }

        if (!KnownTypes.Contains(type))
        {
            error = type.Length == 0
                ? $"invalid zone '{display}': missing dataset type"
                : $"invalid zone '{display}': unknown dataset type '{type}' (known: {string.Join(", ", KnownTypes.Order(StringComparer.Ordinal))})";
            return false;
        }

        if (files.Length == 0)
        {
            error = $"invalid zone '{display}': missing file names for {type}";
            return false;
        }

        if (normalized.Length == 0 && DatasetTypes.KindOf(type) != DatasetKind.Acl)
        {
            error = $"invalid zone '{display}': missing zone name (only an acl dataset may have an empty name, as the global ACL)";
            return false;
        }

        zone = new ZoneSpec(normalized, type, [.. files]);
        error = null;
        return true;
    }

    /// <summary>
    /// Normalizes a zone name as rbldnsd's <c>dns_ptodn()</c> + <c>dns_dntol()</c>: empty labels (leading, trailing
    /// or doubled dots) are dropped, A–Z lowercased, each label at most 63 bytes, the whole name at most 255 bytes on
    /// the wire. Backslash escapes, which rbldnsd interprets, are refused rather than half-supported.
    /// </summary>
    /// <param name="name">Name as written.</param>
    /// <param name="normalized">Normalized name; empty for the root.</param>
    /// <param name="error">Why the name is invalid.</param>
    public static bool TryNormalizeName(string name, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        normalized = null;
        if (name.Contains('\\'))
        {
            error = $"invalid domain name '{name}': backslash escapes are not supported";
            return false;
        }

        string[] labels = name.Split('.', StringSplitOptions.RemoveEmptyEntries);
        int wireLength = 1;
        foreach (string label in labels)
        {
            int bytes = Encoding.UTF8.GetByteCount(label);
            if (bytes > 63)
            {
                error = $"invalid domain name '{name}': label '{label}' is longer than 63 bytes";
                return false;
            }

            wireLength += bytes + 1;
        }

        if (wireLength > 255)
        {
            error = $"invalid domain name '{name}': longer than 255 bytes";
            return false;
        }

        normalized = string.Create(name.Length, name, static (span, source) =>
        {
            // ASCII only, as dns_dntol(): other bytes are left alone.
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(source[i]) ? (char)(source[i] | 0x20) : source[i];
            }
        });
        normalized = string.Join('.', normalized.Split('.', StringSplitOptions.RemoveEmptyEntries));
        error = null;
        return true;
    }

    /// <summary>The canonical <c>zone:type:file,file</c> form.</summary>
    public override string ToString() => $"{Name}:{Type}:{string.Join(',', Files)}";
}
