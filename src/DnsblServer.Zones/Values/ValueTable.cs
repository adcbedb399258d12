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
    private readonly Dictionary<RawValue, int> _ids;
    private readonly Dictionary<RawValue, int>.AlternateLookup<LineValue> _byLine;
    private readonly List<RawValue> _values = [];
    private uint _lastA;
    private byte[] _lastText = new byte[64];
    private int _lastLength;
    private int _lastId = -1;

    /// <summary>Creates an empty table.</summary>
    public ValueTable()
    {
        _ids = new Dictionary<RawValue, int>(LineValueComparer.Instance);
        _byLine = _ids.GetAlternateLookup<LineValue>();
    }

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

    /// <summary>
    /// The id of (A, text) straight from a line. Only a new value allocates its string: a known one is found
    /// from the bytes (a 1M-line ip6trie with its own value on one line in ten made 14 MB of garbage strings
    /// and copies), and consecutive equal values skip even the lookup.
    /// </summary>
    public int Intern(uint a, ReadOnlySpan<byte> text)
    {
        if (_lastId >= 0 && a == _lastA && text.SequenceEqual(_lastText.AsSpan(0, _lastLength))) return _lastId;
        if (!_byLine.TryGetValue(new LineValue(a, text), out int id)) id = Intern(new RawValue(a, Encoding.Latin1.GetString(text)));
        if (text.Length > _lastText.Length) _lastText = new byte[Math.Max(text.Length, 2 * _lastText.Length)];
        text.CopyTo(_lastText);
        (_lastA, _lastLength, _lastId) = (a, text.Length, id);
        return id;
    }

    /// <summary>A value as its line's bytes (Latin-1), to look up a <see cref="RawValue"/> without making its string.</summary>
    private readonly ref struct LineValue(uint a, ReadOnlySpan<byte> text)
    {
        public uint A { get; } = a;

        public ReadOnlySpan<byte> Text { get; } = text;
    }

    /// <summary>Equality of A and text, the text hashed as Latin-1 code units so that a <see cref="LineValue"/> finds its <see cref="RawValue"/>.</summary>
    private sealed class LineValueComparer : IEqualityComparer<RawValue>, IAlternateEqualityComparer<LineValue, RawValue>
    {
        public static readonly LineValueComparer Instance = new();

        public bool Equals(RawValue x, RawValue y) => x.A == y.A && string.Equals(x.Text, y.Text, StringComparison.Ordinal);

        public int GetHashCode(RawValue value)
        {
            uint hash = 2166136261;
            foreach (char c in value.Text) hash = (hash ^ c) * 16777619; // FNV-1a over the code units
            return HashCode.Combine(value.A, hash);
        }

        public bool Equals(LineValue line, RawValue value)
        {
            if (line.A != value.A || line.Text.Length != value.Text.Length) return false;
            for (int i = 0; i < line.Text.Length; i++)
            {
                if (line.Text[i] != value.Text[i]) return false;
            }
            return true;
        }

        public int GetHashCode(LineValue line)
        {
            uint hash = 2166136261;
            foreach (byte b in line.Text) hash = (hash ^ b) * 16777619;
            return HashCode.Combine(line.A, hash);
        }

        public RawValue Create(LineValue line) => new(line.A, Encoding.Latin1.GetString(line.Text));
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
