using System.Buffers.Binary;
using System.Numerics;
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
    private readonly Dictionary<RawValue, int> _ids = new(RawValueComparer.Instance);
    private readonly Dictionary<RawValue, int>.AlternateLookup<RawValueBytes> _idsByBytes;
    private readonly List<RawValue> _values = [];
    private uint _lastA;
    private byte[] _lastText = new byte[64]; // reused: the last value's TXT bytes
    private int _lastLength;
    private int _lastId = -1;

    /// <summary>An empty table.</summary>
    public ValueTable() => _idsByBytes = _ids.GetAlternateLookup<RawValueBytes>();

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

    /// <summary>The id of (A, text) straight from a line. A value already in the table is found by its bytes:
    /// nothing is allocated (a string and a copy per line made 11 MB of garbage on a 1M-name dnset whose lines
    /// alternate between three values, and the load's peak RSS 10 MB higher).</summary>
    public int Intern(uint a, ReadOnlySpan<byte> text)
    {
        if (_lastId >= 0 && a == _lastA && text.SequenceEqual(_lastText.AsSpan(0, _lastLength))) return _lastId;
        if (!_idsByBytes.TryGetValue(new RawValueBytes(a, text), out int id)) id = Intern(new RawValue(a, Encoding.Latin1.GetString(text)));
        if (text.Length > _lastText.Length) _lastText = new byte[text.Length];
        text.CopyTo(_lastText);
        _lastLength = text.Length;
        _lastA = a;
        return _lastId = id;
    }

    // A value as a line holds it: the TXT as Latin-1 bytes, which RawValue holds as a string of the same chars.
    private readonly ref struct RawValueBytes(uint a, ReadOnlySpan<byte> text)
    {
        public readonly uint A = a;
        public readonly ReadOnlySpan<byte> Text = text;
    }

    // Ordinal equality of RawValue, with a hash that is the same for the string and for its Latin-1 bytes.
    private sealed class RawValueComparer : IEqualityComparer<RawValue>, IAlternateEqualityComparer<RawValueBytes, RawValue>
    {
        public static readonly RawValueComparer Instance = new();

        public bool Equals(RawValue x, RawValue y) => x.A == y.A && string.Equals(x.Text, y.Text, StringComparison.Ordinal);

        public int GetHashCode(RawValue value)
        {
            // Rare (new values, defaults): the string as the Latin-1 bytes it came from (a char above 255
            // hashes as '?', which only costs a collision, as such a string equals no bytes).
            int length = Encoding.Latin1.GetByteCount(value.Text);
            Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
            Encoding.Latin1.GetBytes(value.Text, bytes);
            return Hash(value.A, bytes);
        }

        public bool Equals(RawValueBytes alternate, RawValue other)
        {
            if (alternate.A != other.A || alternate.Text.Length != other.Text.Length) return false;
            for (int i = 0; i < alternate.Text.Length; i++)
            {
                if (alternate.Text[i] != other.Text[i]) return false;
            }
            return true;
        }

        public int GetHashCode(RawValueBytes alternate) => Hash(alternate.A, alternate.Text);

        // Seeded per process, as .NET's string hash is: a file of TXT values made to collide cannot make a load quadratic.
        private static readonly ulong s_seed = (ulong)Random.Shared.NextInt64();

        private static int Hash(uint a, ReadOnlySpan<byte> text)
        {
            ulong h = 0x9E3779B97F4A7C15UL ^ s_seed ^ a ^ ((ulong)text.Length << 32);
            int i = 0;
            for (; i + 8 <= text.Length; i += 8)
            {
                h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(text[i..])) * 0xFF51AFD7ED558CCDUL, 29);
            }
            for (; i < text.Length; i++) h = (h ^ text[i]) * 0x100000001B3UL;
            h ^= h >> 33;
            return (int)(h ^ (h >> 29));
        }

        public RawValue Create(RawValueBytes alternate) => new(alternate.A, Encoding.Latin1.GetString(alternate.Text));
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
