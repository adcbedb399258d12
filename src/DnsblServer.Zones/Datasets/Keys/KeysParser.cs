using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets.Keys;

/// <summary>
/// Reads a keys file: one key per line, <c>KEY [QUERIES_PER_DAY]</c>, blanks between, <c>#</c> comments (whole
/// lines, or after the fields). A key is 1-63 letters, digits, <c>-</c> or <c>_</c>; no number (or 0) means no
/// daily limit. A bad line or a repeated key is a file:line warning and is skipped (the first line of a key wins).
/// </summary>
internal sealed class KeysParser : LineParser
{
    private readonly List<AccessKey> _keys = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        int end = 0;
        while (end < line.Length && !Syntax.IsKeyEnd(line, end)) end++;
        var key = line[..end];
        if (!AccessKey.IsValid(key))
        {
            context.Warn(key.Length > AccessKey.MaxLength ? "invalid key (longer than 63 characters)" : "invalid key (letters, digits, '-' and '_' only)");
            return;
        }
        int pos = Syntax.SkipSpace(line, end);
        long quota = 0;
        if (pos < line.Length && !Syntax.IsComment(line[pos]))
        {
            if (!Numbers.TryParseUInt32(line, ref pos, out uint parsed) || (pos < line.Length && !Syntax.IsComment(line[pos])))
            {
                context.Warn("invalid queries-per-day (a whole number up to 4294967295, or nothing for no limit)");
                return;
            }
            quota = parsed;
        }
        string name = AccessKey.Normalize(key);
        if (!_seen.Add(name))
        {
            context.Warn($"key '{name}' repeated (keys ignore case); the first line is kept");
            return;
        }
        _keys.Add(new AccessKey(name, quota));
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context) =>
        new KeysDataset(DatasetInfo.From(DatasetTypes.KeysTypeName, fileNames, context), [.. _keys], context.Options.ResolvePath(fileNames[0]));
}
