namespace DnsblServer.Zones.Trie;

/// <summary>
/// A read-only array of small non-negative ints stored in the narrowest width that holds them:
/// nothing at all when every id is the same (the common "one default value" list), else
/// 1, 2 or 4 bytes each. This is what keeps a single-address entry at about 3 bytes.
/// </summary>
internal readonly struct PackedIds
{
    private readonly byte[]? _bytes;
    private readonly ushort[]? _shorts;
    private readonly int[]? _ints;
    private readonly int _constant;

    private PackedIds(byte[]? bytes, ushort[]? shorts, int[]? ints, int constant)
    {
        _bytes = bytes;
        _shorts = shorts;
        _ints = ints;
        _constant = constant;
    }

    /// <summary>Every id <paramref name="id"/>: no array at all.</summary>
    public static PackedIds Constant(int id) => new(null, null, null, id);

    /// <summary>Packs <paramref name="ids"/> (copied).</summary>
    public static PackedIds Create(ReadOnlySpan<int> ids)
    {
        if (ids.IsEmpty) return default;
        int first = ids[0], max = 0;
        bool same = true;
        foreach (int id in ids)
        {
            same &= id == first;
            if (id > max) max = id;
        }
        if (same) return Constant(first);
        if (max <= byte.MaxValue)
        {
            var bytes = new byte[ids.Length];
            for (int i = 0; i < ids.Length; i++) bytes[i] = (byte)ids[i];
            return new PackedIds(bytes, null, null, 0);
        }
        if (max <= ushort.MaxValue)
        {
            var shorts = new ushort[ids.Length];
            for (int i = 0; i < ids.Length; i++) shorts[i] = (ushort)ids[i];
            return new PackedIds(null, shorts, null, 0);
        }
        return new PackedIds(null, null, ids.ToArray(), 0);
    }

    /// <summary>
    /// Room for <paramref name="count"/> ids from 0 to <paramref name="max"/>, in the width <see cref="Create"/>
    /// would pick, to be filled with <see cref="Set"/>: for a builder that knows the range before the ids (no
    /// int array in between). <paramref name="constant"/> (or -1) is the one id every entry has, if so.
    /// </summary>
    public static PackedIds Allocate(int count, int max, int constant)
    {
        if (count == 0) return default;
        if (constant >= 0) return Constant(constant);
        if (max <= byte.MaxValue) return new PackedIds(new byte[count], null, null, 0);
        if (max <= ushort.MaxValue) return new PackedIds(null, new ushort[count], null, 0);
        return new PackedIds(null, null, new int[count], 0);
    }

    /// <summary>Stores <paramref name="id"/> at <paramref name="index"/> (within the range given to <see cref="Allocate"/>).</summary>
    public void Set(int index, int id)
    {
        if (_bytes is not null) _bytes[index] = (byte)id;
        else if (_shorts is not null) _shorts[index] = (ushort)id;
        else if (_ints is not null) _ints[index] = id;
    }

    /// <summary>The id at <paramref name="index"/>.</summary>
    public int this[int index] =>
        _bytes is not null ? _bytes[index] :
        _shorts is not null ? _shorts[index] :
        _ints is not null ? _ints[index] :
        _constant;

    /// <summary>Bytes held by the arrays.</summary>
    public long SizeInBytes => (_bytes?.Length ?? 0) + (_shorts?.Length ?? 0) * 2L + (_ints?.Length ?? 0) * 4L;
}
