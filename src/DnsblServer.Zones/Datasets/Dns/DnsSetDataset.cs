using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>
/// A dnset after the build: the listed names with their values, looked up the way rbldnsd's
/// ds_dnset_query does. The query name is first searched in the plain array; when that array does not
/// have it, one leading label after another is stripped and each remaining suffix searched in the wildcard
/// array, longest first. The first array entry found decides: an exclusion means not listed (no shorter
/// wildcard is tried), otherwise every value of that name is the answer.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit] // the lookup's stack buffers are written before they are read
public sealed class DnsSetDataset : Dataset
{
    private readonly DnsNameIndex _index;
    private readonly ValueSets _sets;
    private readonly DnsSetStats _stats;

    internal DnsSetDataset(DatasetInfo info, DnsNameIndex index, ValueSets sets, DnsSetStats stats) : base(info, DatasetKind.NameSet)
    {
        _index = index;
        _sets = sets;
        _stats = stats;
    }

    /// <summary>
    /// Looks up a query name. Allocation-free.
    /// </summary>
    /// <param name="wireName">The labels below the zone, in wire form and lowercase, without the zone and
    /// without a root byte (<c>x.example.com</c> under <c>dbl.test</c> is <c>\1x\7example\3com</c>).</param>
    /// <param name="labelOffsets">Offset of each label's length byte in <paramref name="wireName"/> (the first is 0).</param>
    /// <param name="labelCount">Number of labels.</param>
    /// <param name="values">The values of the matched name: one A record each, and a TXT template where the
    /// entry has a TXT (render it with <see cref="DnsblValue.RenderTxt"/> and <see cref="FormatListedName"/>).</param>
    /// <param name="listedName">The listed name that matched, in wire form: the query name itself, or for a
    /// wildcard match the suffix the wildcard was written for (<c>example.com</c> for <c>*.example.com</c>). A
    /// slice of <paramref name="wireName"/>. rbldnsd's <c>$</c> is this name as text.</param>
    /// <returns>True when listed; false when not listed, excluded, or the name is the zone apex (no labels).</returns>
    public bool TryLookup(ReadOnlySpan<byte> wireName, scoped ReadOnlySpan<byte> labelOffsets, int labelCount,
        out ReadOnlySpan<DnsblValue> values, out ReadOnlySpan<byte> listedName)
    {
        values = default;
        listedName = default;
        if (labelCount <= 0 || wireName.Length >= DnsNameText.MaxWireLength) return false;
        Span<byte> key = stackalloc byte[DnsNameText.MaxWireLength];
        key = key[..wireName.Length];
        DnsSetParser.Reverse(wireName, key);

        if (labelCount >= _stats.PlainMinLabels && labelCount <= _stats.PlainMaxLabels
            && _index.TryFind(key, out int plain, out _) && plain != DnsNameIndex.Absent)
        {
            return Answer(plain, wireName, out values, out listedName);
        }
        // Strip at least one label for the wildcard itself; suffixes with more labels than any wildcard can't match.
        for (int skip = Math.Max(1, labelCount - _stats.WildcardMaxLabels); labelCount - skip >= _stats.WildcardMinLabels; skip++)
        {
            int offset = labelOffsets[skip];
            int wildcard = _index.FindWildcard(key[..(wireName.Length - offset)]);
            if (wildcard != DnsNameIndex.Absent)
            {
                return Answer(wildcard, wireName[offset..], out values, out listedName);
            }
        }
        return false;
    }

    /// <summary>Looks up a query name whose label offsets are not at hand (walks the labels first).</summary>
    public bool TryLookup(ReadOnlySpan<byte> wireName, out ReadOnlySpan<DnsblValue> values, out ReadOnlySpan<byte> listedName)
    {
        Span<byte> offsets = stackalloc byte[128];
        int count = 0;
        for (int pos = 0; pos < wireName.Length && count < offsets.Length; pos += wireName[pos] + 1)
        {
            offsets[count++] = (byte)pos;
        }
        return TryLookup(wireName, offsets, count, out values, out listedName);
    }

    private bool Answer(int state, ReadOnlySpan<byte> name, out ReadOnlySpan<DnsblValue> values, out ReadOnlySpan<byte> listedName)
    {
        listedName = name;
        values = state == DnsNameIndex.Excluded ? default : _sets[state - 1];
        return !values.IsEmpty;
    }

    /// <summary>
    /// The text rbldnsd substitutes for <c>$</c> in a dnset TXT: the listed name as dns_dntop prints it
    /// (lowercase, special characters escaped). <paramref name="destination"/> should hold
    /// <see cref="DnsNameText.MaxTextLength"/> bytes (a TXT uses at most 254 anyway).
    /// </summary>
    /// <returns>The text length.</returns>
    public static int FormatListedName(ReadOnlySpan<byte> listedName, Span<byte> destination) =>
        DnsNameText.Format(listedName, destination);

    /// <summary>Distinct names (an entry in both arrays counts once).</summary>
    public int NameCount => _index.Count;

    /// <summary>Names in the plain array (exact entries, <c>.name</c>, and their exclusions).</summary>
    public int PlainCount => _stats.PlainCount;

    /// <summary>Names in the wildcard array (<c>*.name</c>, <c>.name</c>, and their exclusions).</summary>
    public int WildcardCount => _stats.WildcardCount;

    /// <summary>The value sets (for dumps and status).</summary>
    public ValueSets Sets => _sets;

    internal DnsNameIndex Index => _index;

    /// <inheritdoc />
    public override long EntryCount => _stats.PlainCount + _stats.WildcardCount;

    /// <inheritdoc />
    public override long SizeInBytes => _index.SizeInBytes + _sets.SizeInBytes;
}
