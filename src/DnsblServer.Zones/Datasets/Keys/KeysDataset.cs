namespace DnsblServer.Zones.Datasets.Keys;

/// <summary>
/// A keys dataset (<c>zone:keys:file</c>): the access keys of a keyed zone and their daily quotas, as read
/// from the file (pushed keys and revocations are layered over it by the serving side). Not looked up by
/// name or address: its presence makes the zone keyed (the label left of the apex is the key).
/// </summary>
public sealed class KeysDataset : Dataset
{
    internal KeysDataset(DatasetInfo info, IReadOnlyList<AccessKey> keys, string statePath) : base(info, DatasetKind.Keys)
    {
        Keys = keys;
        StatePath = statePath;
    }

    /// <summary>The keys, lowercased, in file order, each once (the first line of a key wins).</summary>
    public IReadOnlyList<AccessKey> Keys { get; }

    /// <summary>The dataset's first file, resolved: usage and pushed keys are kept beside it by default (<c>FILE.usage</c>, <c>FILE.keys-journal</c>).</summary>
    public string StatePath { get; }

    /// <inheritdoc />
    public override long EntryCount => Keys.Count;

    /// <inheritdoc />
    public override long SizeInBytes => Keys.Sum(k => 32L + k.Name.Length * 2);
}

/// <summary>One access key.</summary>
/// <param name="Name">The key, ASCII-lowercased (keys are matched without regard to case: resolvers randomise it).</param>
/// <param name="QueriesPerDay">Queries allowed per UTC day; 0 = unlimited.</param>
public sealed record AccessKey(string Name, long QueriesPerDay)
{
    /// <summary>Longest key: one DNS label.</summary>
    public const int MaxLength = 63;

    /// <summary>
    /// True for a valid key: 1 to 63 ASCII letters, digits, <c>-</c> or <c>_</c> (one DNS label that no
    /// resolver rewrites; case does not count).
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> key)
    {
        if (key.Length is 0 or > MaxLength) return false;
        foreach (byte c in key)
        {
            if (!char.IsAsciiLetterOrDigit((char)c) && c != '-' && c != '_') return false;
        }
        return true;
    }

    /// <summary>The key as stored: ASCII-lowercased text.</summary>
    public static string Normalize(ReadOnlySpan<byte> key)
    {
        Span<char> chars = stackalloc char[key.Length];
        for (int i = 0; i < key.Length; i++) chars[i] = (char)(key[i] is >= (byte)'A' and <= (byte)'Z' ? key[i] | 0x20 : key[i]);
        return new string(chars);
    }
}
