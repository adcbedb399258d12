namespace DnsblServer.Zones.ZoneSets;

/// <summary>One rbldnsd zone spec, <c>zone:type:file[,file...]</c>.</summary>
/// <param name="Zone">Zone name, lowercased, without the trailing dot (empty for a global ACL).</param>
/// <param name="Type">Dataset type.</param>
/// <param name="Files">Files of the dataset, in order.</param>
public sealed record ZoneSpec(string Zone, string Type, IReadOnlyList<string> Files)
{
    /// <summary>The dataset key: zones naming the same <c>type:files</c> share one loaded dataset (as in rbldnsd).</summary>
    public string DatasetKey => Type + ":" + string.Join(',', Files);

    /// <summary>Parses <c>zone:type:file[,file...]</c>; the file list splits on <c>,</c> and <c>:</c> like rbldnsd.</summary>
    public static bool TryParse(string spec, out ZoneSpec? result, out string? error)
    {
        result = null;
        string[] parts = spec.Split(':', 3);
        if (parts.Length < 3 || parts[1].Length == 0)
        {
            error = $"invalid zone spec '{spec}': expected zone:type:file[,file...]";
            return false;
        }
        string[] files = parts[2].Split([',', ':'], StringSplitOptions.RemoveEmptyEntries);
        if (files.Length == 0)
        {
            error = $"missing filenames in zone spec '{spec}'";
            return false;
        }
        result = new ZoneSpec(NormalizeName(parts[0]), parts[1], files);
        error = null;
        return true;
    }

    /// <summary>Lowercases a zone name and drops a trailing dot.</summary>
    public static string NormalizeName(string name) => name.TrimEnd('.').ToLowerInvariant();
}
