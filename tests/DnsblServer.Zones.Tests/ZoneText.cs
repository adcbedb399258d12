using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

/// <summary>Loads datasets from inline zone text and renders lookups as short strings for assertions.</summary>
internal sealed class ZoneText : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsbl-zones-").FullName;

    public string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, Encoding.Latin1);
        return path;
    }

    public DatasetLoadResult LoadResult(string type, string text, LoadOptions? options = null) =>
        DatasetLoader.Load(type, [Write("zone-" + Guid.NewGuid().ToString("N"), text)], options ?? LoadOptions.Default);

    public Ip4Dataset Load(string type, string text, LoadOptions? options = null)
    {
        var result = LoadResult(type, text, options);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return (Ip4Dataset)result.Dataset!;
    }

    public Ip4Dataset LoadFiles(string type, params string[] texts)
    {
        var files = texts.Select((t, i) => Write($"f{i}-{Guid.NewGuid():N}", t)).ToArray();
        var result = DatasetLoader.Load(type, files, LoadOptions.Default);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return (Ip4Dataset)result.Dataset!;
    }

    /// <summary>"127.0.0.2" or "127.0.0.2 txt" per value, joined by " | "; "-" when not listed.</summary>
    public static string Answer(Ip4Dataset dataset, string ip)
    {
        int pos = 0;
        Assert.Equal(32, Ip4Text.ParsePrefix(Encoding.ASCII.GetBytes(ip), ref pos, out uint address));
        var values = dataset.Lookup(address);
        if (values.IsEmpty) return "-";
        var parts = new List<string>();
        Span<byte> txt = stackalloc byte[300];
        byte[] subst = Encoding.ASCII.GetBytes(ip);
        foreach (var v in values)
        {
            int n = v.RenderTxt(subst, txt);
            parts.Add(n == 0 ? Ip4Text.ToText(v.A) : $"{Ip4Text.ToText(v.A)} {Encoding.Latin1.GetString(txt[..n])}");
        }
        return string.Join(" | ", parts);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
