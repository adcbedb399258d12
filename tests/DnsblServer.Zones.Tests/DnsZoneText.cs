using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

/// <summary>Loads dnset and generic datasets from inline text with their parsers, and renders lookups as short strings.</summary>
internal sealed class DnsZoneText : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnsbl-dnzones-").FullName;

    public DatasetLoadContext? Context { get; private set; }

    /// <summary>Reads the texts as the files of one dataset; the error is the first file's load failure.</summary>
    public (Dataset? Dataset, LoadDiagnostic? Error) Load(LineParser parser, LoadOptions? options, params string[] texts)
    {
        var context = Context = new DatasetLoadContext(options ?? LoadOptions.Default);
        var files = new List<string>();
        for (int i = 0; i < texts.Length; i++)
        {
            string path = Path.Combine(_dir, $"f{i}-{Guid.NewGuid():N}");
            File.WriteAllText(path, texts[i], Encoding.Latin1);
            files.Add(path);
            var error = ZoneFileReader.ReadFile(path, context, parser);
            if (error is not null) return (null, error);
        }
        return (parser.Finish(files, context), null);
    }

    public DnsSetDataset DnsSet(params string[] texts) => DnsSet(DnsNameChunk.DefaultRecords, texts);

    /// <summary>A dnset whose lines are sorted in chunks of <paramref name="chunkRecords"/> (small: many runs to merge).</summary>
    public DnsSetDataset DnsSet(int chunkRecords, params string[] texts)
    {
        var (dataset, error) = Load(new DnsSetParser(chunkRecords), null, texts);
        Assert.Null(error);
        return (DnsSetDataset)dataset!;
    }

    public GenericDataset Generic(string text, LoadOptions? options = null)
    {
        var (dataset, error) = Load(new GenericParser(), options, text);
        Assert.Null(error);
        return (GenericDataset)dataset!;
    }

    public static byte[] Wire(string name)
    {
        var wire = new byte[DnsNameText.MaxWireLength];
        Assert.True(DnsNameText.TryParse(Encoding.Latin1.GetBytes(name), wire, out int length), name);
        DnsNameText.ToLower(wire.AsSpan(0, length));
        return wire[..length];
    }

    /// <summary>"A txt" per value joined by " | ", then " @listed"; "-" when not listed.</summary>
    public static string Answer(DnsSetDataset dataset, string name)
    {
        if (!dataset.TryLookup(Wire(name), out var values, out var listed)) return "-";
        Span<byte> text = stackalloc byte[DnsNameText.MaxTextLength];
        var substitution = text[..DnsSetDataset.FormatListedName(listed, text)].ToArray();
        var parts = new List<string>();
        var txt = new byte[300];
        foreach (var v in values)
        {
            int n = v.RenderTxt(substitution, txt);
            parts.Add(n == 0 ? Ip4Text.ToText(v.A) : $"{Ip4Text.ToText(v.A)} {Encoding.Latin1.GetString(txt, 0, n)}");
        }
        return string.Join(" | ", parts) + " @" + Encoding.Latin1.GetString(substitution);
    }

    /// <summary>Every entry of the index in key order with both arrays' values rendered, one line each.</summary>
    public static string Dump(DnsSetDataset dataset)
    {
        string State(int state) => state switch
        {
            DnsNameIndex.Absent => "absent",
            DnsNameIndex.Excluded => "excluded",
            _ => string.Join(" | ", dataset.Sets[state - 1].ToArray().Select(v => $"{Ip4Text.ToText(v.A)} {Convert.ToHexString(v.Txt ?? [])}")),
        };
        return string.Join("\n", dataset.Index.Entries().Select(e => $"{Convert.ToHexString(e.Key)}: {State(e.Plain)}; {State(e.Wildcard)}"));
    }

    /// <summary>The records of a name for a query type, "ttl TYPE data" joined by " | "; "NXDOMAIN" when the name does not exist.</summary>
    public static string Records(GenericDataset dataset, string name, ushort type = GenericDataset.TypeAny)
    {
        byte[] wire = name == "@" ? [] : Wire(name);
        if (!dataset.TryLookup(wire, type, out var records)) return "NXDOMAIN";
        var parts = new List<string>();
        foreach (var r in records) parts.Add(r.ToString());
        return string.Join(" | ", parts);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
