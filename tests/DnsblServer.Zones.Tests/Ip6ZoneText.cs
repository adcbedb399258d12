using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Ip6;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

/// <summary>
/// Loads ip6trie/ip6tset datasets from inline text through the parsers directly (DatasetLoader does not
/// know the IPv6 types yet) and renders lookups as short strings for assertions.
/// </summary>
internal sealed class Ip6ZoneText : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsbl-ip6-").FullName;

    public string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, Encoding.Latin1);
        return path;
    }

    /// <summary>Reads the files into a new parser of <paramref name="type"/> and finishes the dataset, as DatasetLoader will.</summary>
    public static (Ip6Dataset Dataset, DatasetLoadContext Context) LoadFiles(string type, IReadOnlyList<string> files, LoadOptions? options = null)
    {
        var context = new DatasetLoadContext(options ?? LoadOptions.Default);
        LineParser parser = type switch
        {
            "ip6trie" => new Ip6TrieParser(),
            "ip6tset" => new Ip6TSetParser(),
            _ => throw new ArgumentException(type),
        };
        foreach (string file in files)
        {
            var error = ZoneFileReader.ReadFile(file, context, parser);
            Assert.True(error is null, error?.ToString());
        }
        return ((Ip6Dataset)parser.Finish(files, context), context);
    }

    public (Ip6Dataset Dataset, DatasetLoadContext Context) LoadWithContext(string type, string text, LoadOptions? options = null) =>
        LoadFiles(type, [Write("zone-" + Guid.NewGuid().ToString("N"), text)], options);

    public Ip6Dataset Load(string type, string text, LoadOptions? options = null) => LoadWithContext(type, text, options).Dataset;

    public (Ip6Dataset Dataset, DatasetLoadContext Context) LoadTexts(string type, params string[] texts) =>
        LoadFiles(type, texts.Select((t, i) => Write($"f{i}-{Guid.NewGuid():N}", t)).ToArray());

    public static UInt128 Parse(string text)
    {
        int pos = 0;
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(128, Ip6Text.ParsePrefix(bytes, ref pos, out UInt128 address));
        Assert.Equal(bytes.Length, pos);
        return address;
    }

    /// <summary>"127.0.0.2" or "127.0.0.2 txt" per value, joined by " | "; "-" when not listed.</summary>
    public static string Answer(Ip6Dataset dataset, string ip)
    {
        UInt128 address = Parse(ip);
        var values = dataset.Lookup(address);
        if (values.IsEmpty) return "-";
        var parts = new List<string>();
        Span<byte> txt = stackalloc byte[300];
        Span<byte> subst = stackalloc byte[Ip6Text.MaxTextLength];
        subst = subst[..Ip6Text.Format(address, subst)];
        foreach (var v in values)
        {
            int n = v.RenderTxt(subst, txt);
            parts.Add(n == 0 ? Ip4Text.ToText(v.A) : $"{Ip4Text.ToText(v.A)} {Encoding.Latin1.GetString(txt[..n])}");
        }
        return string.Join(" | ", parts);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
