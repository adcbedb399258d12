using System.Text;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets.Combined;

/// <summary>
/// combined (rbldnsd_combined.c): one file holding several datasets, each answering for one or more subzones.
/// A common section of specials, then sections opened by <c>$DATASET type[:name] subzone...</c> whose lines
/// go to that type's own parser (the same parsers as the stand-alone types).
/// </summary>
/// <remarks>
/// Routing of specials, as rbldnsd's ds_special with a current subset: <c>$SOA</c>, <c>$NS</c> and
/// <c>$TIMESTAMP</c> always belong to the combined dataset (the base zone); <c>$TTL</c>, <c>$0</c>..<c>$9</c> and
/// <c>$=</c> to the current section, or to the combined dataset before the first one; a section starts with
/// the combined dataset's TTL and variables. <c>$MAXRANGE4</c> is one limit for the whole load. A data line
/// where no section is current aborts the load; so does an unknown type, or <c>combined</c>/<c>acl</c> inside.
/// Every file starts with the combined dataset's own line parser again (so data before any special aborts),
/// and after the first special continues the last section of the previous file.
/// </remarks>
public sealed class CombinedParser(Action<EntryTrace>? tracer = null) : LineParser
{
    /// <summary>The dataset type name.</summary>
    public const string Type = "combined";

    /// <summary>The types a <c>$DATASET</c> line may name (those of <see cref="DatasetTypes"/> allowed inside combined).</summary>
    public static IReadOnlyList<string> SubTypes { get; } = [.. DatasetTypes.All.Where(t => t.InCombined).Select(t => t.Name)];

    private readonly List<Section> _sections = [];
    private readonly List<SubzoneBuilder> _subzones = [];
    private readonly byte[]?[] _commonVariables = new byte[]?[10];
    private Section? _current;
    private bool _dataToSection;
    private uint _commonTtl;
    private byte[]? _commonBaseTemplate;

    /// <inheritdoc />
    public override void StartFile(DatasetLoadContext context) => _dataToSection = false;

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        if (_current is null || !_dataToSection) throw new LoadAbortedException("invalid/unrecognized entry - specify $DATASET line");
        _current.Parser.ParseLine(line, context);
    }

    /// <inheritdoc />
    public override LoadDiagnostic? ParseSpecial(ReadOnlySpan<byte> special, DatasetLoadContext context)
    {
        LoadDiagnostic? failure;
        int pos = SpecialLine.FirstWord(special, "dataset"u8);
        if (pos >= 0)
        {
            failure = StartSection(special[pos..], context);
        }
        else if (_current is not null && (SpecialLine.FirstWord(special, "soa"u8) >= 0 || SpecialLine.FirstWord(special, "ns"u8) >= 0 || SpecialLine.FirstWord(special, "nameserver"u8) >= 0))
        {
            // these belong to the base zone, and a TTL of 0 in them means the combined dataset's TTL
            uint sectionTtl = context.Ttl;
            context.Ttl = _commonTtl;
            failure = SpecialLine.Parse(special, context);
            context.Ttl = sectionTtl;
        }
        else
        {
            failure = SpecialLine.Parse(special, context);
        }
        _dataToSection = _current is not null;
        return failure;
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        FinishSection(context);
        var subzones = _subzones.Select(s => new CombinedSubzone(ToDotted(s.Wire), s.Wire, [.. s.Sections.Select(x => x.Dataset!)])).ToArray();
        var sections = _sections.Select(s => new CombinedSection(s.Type, s.Name, s.Subzones, s.Dataset!)).ToArray();
        return new CombinedDataset(DatasetInfo.From(Type, fileNames, context), subzones, sections);
    }

    private LoadDiagnostic? StartSection(ReadOnlySpan<byte> rest, DatasetLoadContext context)
    {
        FinishSection(context);
        List<string> words = Words(rest);
        if (words.Count == 0)
        {
            context.Warn("invalid or unrecognized special entry");
            return null;
        }
        string type = words[0];
        string? name = null;
        int colon = type.IndexOf(':');
        if (colon >= 0)
        {
            name = type[(colon + 1)..];
            type = type[..colon];
            if (name.Length > 20) name = name[..20]; // rbldnsd keeps 20 characters (it only shows them in logs)
            if (name.Length == 0) name = null;
        }
        var subtype = DatasetTypes.Find(type);
        if (subtype is not { InCombined: true })
        {
            // a type rbldnsd knows but not inside combined (acl, combined) is named as such; others are unknown
            string reason = subtype is { InZoneSpec: true }
                ? $"dataset type `{type}' cannot be used inside `combined'"
                : $"unknown dataset type `{Clip(type)}'";
            return new LoadDiagnostic(context.File, context.Line, reason);
        }
        LineParser parser = subtype.CreateParser(tracer);

        var section = new Section(type, name, parser);
        _sections.Add(section);
        if (words.Count == 1) context.Warn("no subzone(s) specified for dataset, data will be ignored");
        Span<byte> wire = stackalloc byte[DnsNameText.MaxWireLength];
        var subzones = new List<string>();
        foreach (string word in words.Skip(1))
        {
            byte[] subzone;
            if (word == "@")
            {
                subzone = [];
            }
            else if (DnsNameText.TryParse(Encoding.Latin1.GetBytes(word), wire, out int length))
            {
                DnsNameText.ToLower(wire[..length]);
                subzone = wire[..length].ToArray();
            }
            else
            {
                context.Warn($"invalid domain name `{Clip(word)}'");
                continue;
            }
            Subzone(subzone).Sections.Add(section);
            subzones.Add(ToDotted(subzone));
        }
        section.Subzones = subzones;

        // the section starts with the combined dataset's TTL and variables; keep those to restore at its end
        _commonTtl = context.Ttl;
        Array.Copy(context.Variables, _commonVariables, _commonVariables.Length);
        _commonBaseTemplate = context.BaseTemplate;
        _current = section;
        parser.StartFile(context);
        return null;
    }

    // Builds the section's dataset with the section's TTL and variables, then gives the context back to the
    // combined dataset. The subdataset carries no SOA, NS or expiry: those are the base zone's.
    private void FinishSection(DatasetLoadContext context)
    {
        if (_current is not { } section) return;
        var (soa, ns, expires) = (context.Soa, context.Ns, context.Expires);
        (context.Soa, context.Ns, context.Expires) = (null, null, 0);
        section.Dataset = section.Parser.Finish([context.File], context);
        (context.Soa, context.Ns, context.Expires) = (soa, ns, expires);
        context.Ttl = _commonTtl;
        Array.Copy(_commonVariables, context.Variables, _commonVariables.Length);
        context.BaseTemplate = _commonBaseTemplate;
        _current = null;
    }

    // rbldnsd's newzone: a new subzone goes before the first one whose wire name is a shorter byte suffix of
    // it (so the most specific is found first), otherwise at the end; a subzone named again gets the new
    // dataset appended. Wire names here have no root byte (the base zone is empty).
    private SubzoneBuilder Subzone(byte[] wire)
    {
        int insertAt = -1;
        for (int i = 0; i < _subzones.Count; i++)
        {
            byte[] existing = _subzones[i].Wire;
            if (existing.AsSpan().SequenceEqual(wire)) return _subzones[i];
            if (insertAt < 0 && existing.Length < wire.Length && wire.AsSpan().EndsWith(existing)) insertAt = i;
        }
        var subzone = new SubzoneBuilder(wire);
        _subzones.Insert(insertAt < 0 ? _subzones.Count : insertAt, subzone);
        return subzone;
    }

    // The words of a $DATASET line: blanks separate; '#' or ';' at the start or after a blank starts a comment.
    private static List<string> Words(ReadOnlySpan<byte> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (Syntax.IsComment(text[i]) && (i == 0 || text[i - 1] is (byte)' ' or (byte)'\t'))
            {
                text = text[..i];
                break;
            }
        }
        return [.. Encoding.Latin1.GetString(text).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];
    }

    // For logs and dumps ("" = the base zone).
    private static string ToDotted(ReadOnlySpan<byte> wire)
    {
        var labels = new List<string>();
        for (int at = 0; at < wire.Length; at += wire[at] + 1) labels.Add(Encoding.Latin1.GetString(wire.Slice(at + 1, wire[at])));
        return string.Join('.', labels);
    }

    private static string Clip(string text) => text.Length > 60 ? text[..60] : text;

    private sealed class Section(string type, string? name, LineParser parser)
    {
        public string Type { get; } = type;
        public string? Name { get; } = name;
        public LineParser Parser { get; } = parser;
        public IReadOnlyList<string> Subzones { get; set; } = [];
        public Dataset? Dataset { get; set; }
    }

    private sealed class SubzoneBuilder(byte[] wire)
    {
        public byte[] Wire { get; } = wire;
        public List<Section> Sections { get; } = [];
    }
}
