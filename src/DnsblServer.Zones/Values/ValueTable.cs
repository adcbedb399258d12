using System.Text;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Values;

/// <summary>
/// Interns the values of one dataset while it loads: every distinct (A, TXT) pair gets one id,
/// so a million entries that share the default value share one stored value. Ids are assigned
/// in order of first appearance, which is also the order answers list them in.
/// </summary>
public sealed class ValueTable
{
    private readonly Dictionary<RawValue, int> _ids = [];
    private readonly List<RawValue> _values = [];
    private uint _lastA;
    private byte[] _lastText = [];
    private int _lastId = -1;

    /// <summary>Number of distinct values.</summary>
    public int Count => _values.Count;

    /// <summary>The raw value with id <paramref name="id"/>.</summary>
    public RawValue this[int id] => _values[id];

    /// <summary>The id of a value, adding it when new.</summary>
    public int Intern(RawValue value)
    {
        if (!_ids.TryGetValue(value, out int id))
        {
            id = _values.Count;
            _values.Add(value);
            _ids.Add(value, id);
        }
        return id;
    }

    /// <summary>The id of (A, text) straight from a line; consecutive equal values skip the string allocation.</summary>
    public int Intern(uint a, ReadOnlySpan<byte> text)
    {
        if (_lastId >= 0 && a == _lastA && text.SequenceEqual(_lastText)) return _lastId;
        int id = Intern(new RawValue(a, Encoding.Latin1.GetString(text)));
        _lastA = a;
        _lastText = text.ToArray();
        _lastId = id;
        return id;
    }

    /// <summary>Expands every value's TXT with the dataset's variables and base template (done once, at the end of the load).</summary>
    public DnsblValue[] Expand(DatasetLoadContext context)
    {
        var result = new DnsblValue[_values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            RawValue raw = _values[i];
            result[i] = new DnsblValue(raw.A, context.ExpandTxt(Encoding.Latin1.GetBytes(raw.Text)));
        }
        return result;
    }
}
