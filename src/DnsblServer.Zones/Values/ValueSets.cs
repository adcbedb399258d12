namespace DnsblServer.Zones.Values;

/// <summary>
/// The immutable value sets of one dataset: what a lookup returns. Set 0 is "not listed";
/// set n lists one or more values (several when overlapping ip4set entries of one level
/// cover the address). Members are stored flat so a lookup returns a span, without allocating.
/// </summary>
public sealed class ValueSets
{
    private readonly DnsblValue[] _members;
    private readonly int[] _start; // set n = _members[_start[n].._start[n + 1]]

    internal ValueSets(DnsblValue[] members, int[] start)
    {
        _members = members;
        _start = start;
    }

    /// <summary>Number of sets, including the empty set 0.</summary>
    public int Count => _start.Length - 1;

    /// <summary>The values of set <paramref name="id"/> (empty for 0).</summary>
    public ReadOnlySpan<DnsblValue> this[int id] => _members.AsSpan(_start[id], _start[id + 1] - _start[id]);

    /// <summary>Bytes held (the values' TXT arrays are counted once per distinct array).</summary>
    public long SizeInBytes
    {
        get
        {
            long size = _members.Length * 16L + _start.Length * 4L;
            var seen = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
            foreach (var member in _members)
            {
                if (member.Txt is { } txt && seen.Add(txt)) size += txt.Length + 24;
            }
            return size;
        }
    }
}

/// <summary>Assigns set ids while a dataset builds; each distinct list of value ids gets one set.</summary>
internal sealed class ValueSetBuilder
{
    private readonly List<int> _singleSet = [];            // value id -> set id (0 = not yet)
    private readonly Dictionary<string, int> _multiSets = [];
    private readonly List<int[]> _sets = [[]];              // set 0 is empty

    /// <summary>The set holding exactly one value.</summary>
    public int ForValue(int valueId)
    {
        if (valueId == _lastValue) return _lastSet; // consecutive entries mostly share a value
        _lastValue = valueId;
        return _lastSet = SetOf(valueId);
    }

    private int _lastValue = -1;
    private int _lastSet;

    private int SetOf(int valueId)
    {
        while (_singleSet.Count <= valueId) _singleSet.Add(0);
        int id = _singleSet[valueId];
        if (id == 0)
        {
            id = _sets.Count;
            _sets.Add([valueId]);
            _singleSet[valueId] = id;
        }
        return id;
    }

    /// <summary>The set holding these distinct values, in this order.</summary>
    public int ForValues(List<int> valueIds)
    {
        if (valueIds.Count == 1) return ForValue(valueIds[0]);
        string key = string.Join(',', valueIds);
        if (!_multiSets.TryGetValue(key, out int id))
        {
            id = _sets.Count;
            _sets.Add([.. valueIds]);
            _multiSets.Add(key, id);
        }
        return id;
    }

    /// <summary>The value ids of set <paramref name="id"/>.</summary>
    public int[] ValuesOf(int id) => _sets[id];

    /// <summary>Freezes the sets over the dataset's expanded values.</summary>
    public ValueSets Build(DnsblValue[] values)
    {
        var start = new int[_sets.Count + 1];
        var members = new List<DnsblValue>();
        for (int i = 0; i < _sets.Count; i++)
        {
            start[i] = members.Count;
            foreach (int v in _sets[i]) members.Add(values[v]);
        }
        start[_sets.Count] = members.Count;
        return new ValueSets([.. members], start);
    }
}
