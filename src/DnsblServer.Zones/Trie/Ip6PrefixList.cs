namespace DnsblServer.Zones.Trie;

/// <summary>
/// The prefixes of a longest-prefix IPv6 dataset (ip6trie, the IPv6 half of acl) while it loads, kept
/// in the least memory that still lets the build sort them and name each duplicate's file and line:
/// the scratch of a load, whose peak is what an operator sizes the machine for.
/// <para>
/// Each prefix is an address and a 64-bit tag: its length (8 bits), its ordinal in file order (31
/// bits) and its value id + 1 (25 bits, 0 = exclusion), so comparing (address, tag) as numbers gives
/// the build's order (address, length, file order) with no comparer and no key array. Three arrays,
/// read merged: a /64 with the list's most common value (the value of its first /64: in practice the
/// default of the first file) is 12 bytes, top half and ordinal (the rest of its tag is known); any
/// other prefix of /64 or shorter 16 bytes, top half and tag (its low half is zero); a longer one
/// 24 bytes, both halves and tag. The old form was 32 bytes plus an 8-byte sort key: the benchmark's
/// 1M lines (85% /64, 10% of lines with their own value) took 45 MB of scratch, now 13 MB.
/// </para>
/// <para>
/// The file and line of an entry are not stored: entries are numbered in file order, and a
/// <see cref="LineMark"/> is kept only where the line numbers of consecutive entries jump (a new
/// file, a comment, a default line), so an entry's line is its mark's plus the entries between.
/// A value id that does not fit 25 bits (more than 33M distinct values) is kept in a dictionary.
/// </para>
/// </summary>
internal sealed class Ip6PrefixList
{
    private const int ValueBits = 25;
    private const int OrdinalShift = ValueBits;
    private const int LengthShift = 56;
    private const ulong ValueMask = (1UL << ValueBits) - 1;
    private const ulong OrdinalMask = (1UL << 31) - 1;
    private const ulong NoSlot = ulong.MaxValue;

    /// <summary>The most entries a list holds: the longest array (so no array outgrows it), which fits the ordinal's 31 bits.</summary>
    public static int MaxCount => Array.MaxLength;

    private readonly ulong _valueEscape; // the stored value field meaning "look in _bigValues"
    private PlainPrefix[] _plain = [];
    private int _plainCount;
    private ulong _plainSlot = NoSlot;   // the value field every plain /64 has
    private ShortPrefix[] _short = [];
    private int _shortCount;
    private LongPrefix[] _long = [];
    private int _longCount;
    private int _count;
    private long _expected; // entries expected in all (Reserve), for sizing an array that must grow
    private readonly List<LineMark> _marks = [];
    private int _lastFile = -1, _lastLine;
    private Dictionary<int, int>? _bigValues;

    /// <summary>Creates a list; <paramref name="inlineValueLimit"/> (tests only) lowers the largest value id kept in the tag.</summary>
    public Ip6PrefixList(int inlineValueLimit = (int)ValueMask - 2) => _valueEscape = (ulong)inlineValueLimit + 2;

    /// <summary>Entries added (duplicates included).</summary>
    public int Count => _count;

    /// <summary>Where an entry's line number stops following from the previous entry's.</summary>
    private readonly record struct LineMark(int Ordinal, int File, int Line);

    /// <summary>A /64 with the list's plain value: 12 bytes, ordered by (address, ordinal).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
    internal readonly record struct PlainPrefix(ulong High, uint Ordinal) : IRadixKey<PlainPrefix>
    {
        public static int KeyBits => 96;

        public static int Digit(in PlainPrefix item, int shift) =>
            shift >= 32 ? (int)(item.High >> (shift - 32)) & 0xff : (int)(item.Ordinal >> shift) & 0xff;

        public static bool Less(in PlainPrefix x, in PlainPrefix y) => x.High < y.High || (x.High == y.High && x.Ordinal < y.Ordinal);
    }

    /// <summary>Any other prefix of /64 or shorter: 16 bytes, ordered by (address, tag).</summary>
    internal readonly record struct ShortPrefix(ulong High, ulong Tag) : IRadixKey<ShortPrefix>
    {
        public static int KeyBits => 128;

        public static int Digit(in ShortPrefix item, int shift) =>
            shift >= 64 ? (int)(item.High >> (shift - 64)) & 0xff : (int)(item.Tag >> shift) & 0xff;

        public static bool Less(in ShortPrefix x, in ShortPrefix y) => x.High < y.High || (x.High == y.High && x.Tag < y.Tag);
    }

    /// <summary>A prefix longer than /64: 24 bytes, ordered by (address, tag).</summary>
    internal readonly record struct LongPrefix(ulong High, ulong Low, ulong Tag) : IRadixKey<LongPrefix>
    {
        public static int KeyBits => 192;

        public static int Digit(in LongPrefix item, int shift) =>
            shift >= 128 ? (int)(item.High >> (shift - 128)) & 0xff :
            shift >= 64 ? (int)(item.Low >> (shift - 64)) & 0xff :
            (int)(item.Tag >> shift) & 0xff;

        public static bool Less(in LongPrefix x, in LongPrefix y) =>
            x.High != y.High ? x.High < y.High : x.Low != y.Low ? x.Low < y.Low : x.Tag < y.Tag;
    }

    /// <summary>
    /// Makes room for about <paramref name="expected"/> more prefixes at once: all of them plain /64s, all of them
    /// other /64-or-shorter ones, and one in 16 of them longer (the benchmark list has one in 20; more grows by
    /// doubling). The arrays are not cleared, so room that is never filled is never touched (and costs no
    /// resident memory when the pages come fresh from the system), while doubling leaves the old array as
    /// garbage at the peak.
    /// </summary>
    public void Reserve(long expected)
    {
        _expected = Math.Min(_count + expected, Array.MaxLength);
        Reserve(ref _plain, _plainCount, expected);
        Reserve(ref _short, _shortCount, expected);
        Reserve(ref _long, _longCount, expected / 16);
    }

    private static void Reserve<T>(ref T[] array, int count, long expected) where T : unmanaged
    {
        long wanted = Math.Min(count + expected, Array.MaxLength);
        if (wanted > array.Length) Resize(ref array, count, (int)wanted);
    }

    /// <summary>Adds a prefix (<paramref name="network"/> with the host bits clear) of value <paramref name="value"/> (-1: exclusion), read at <paramref name="file"/>:<paramref name="line"/>.</summary>
    public void Add(UInt128 network, int bits, int value, int file, int line)
    {
        if (_count == MaxCount) throw new Files.LoadAbortedException($"more than {MaxCount} IPv6 entries");
        int ordinal = _count++;
        if (file != _lastFile || line != _lastLine + 1) _marks.Add(new LineMark(ordinal, file, line));
        (_lastFile, _lastLine) = (file, line);
        ulong slot = (ulong)(value + 1);
        if (slot >= _valueEscape)
        {
            (_bigValues ??= []).Add(ordinal, value);
            slot = _valueEscape;
        }
        ulong high = (ulong)(network >> 64);
        if (bits == 64 && (slot == _plainSlot || _plainSlot == NoSlot))
        {
            _plainSlot = slot;
            if (_plainCount == _plain.Length) Grow(ref _plain, _plainCount, _count, _expected);
            _plain[_plainCount++] = new PlainPrefix(high, (uint)ordinal);
            return;
        }
        ulong tag = ((ulong)bits << LengthShift) | ((ulong)ordinal << OrdinalShift) | slot;
        if (bits <= 64)
        {
            if (_shortCount == _short.Length) Grow(ref _short, _shortCount, _count, _expected);
            _short[_shortCount++] = new ShortPrefix(high, tag);
        }
        else
        {
            if (_longCount == _long.Length) Grow(ref _long, _longCount, _count, _expected);
            _long[_longCount++] = new LongPrefix(high, (ulong)network, tag);
        }
    }

    private ulong PlainTag(uint ordinal) => (64UL << LengthShift) | ((ulong)ordinal << OrdinalShift) | _plainSlot;

    // A full array grows to at least twice its size, or to its share of the entries so far applied to all the
    // entries expected, if more: one growth rather than five when a file is mostly of one form the reserve did
    // not expect (1M single addresses: 61 MB of arrays held at once by doubling from one in 16, 26 MB so).
    private static void Grow<T>(ref T[] array, int count, int total, long expected) where T : unmanaged
    {
        long projected = total == 0 ? 0 : count * Math.Max(expected, total) / total;
        Resize(ref array, count, (int)Math.Min(Math.Max(256, Math.Max(2L * count, projected + count / 8)), Array.MaxLength));
    }

    private static void Resize<T>(ref T[] array, int count, int size) where T : unmanaged
    {
        var bigger = GC.AllocateUninitializedArray<T>(size);
        array.AsSpan(0, count).CopyTo(bigger);
        array = bigger;
    }

    /// <summary>Sorts the prefixes into the build's order, in place; nothing to do for a sorted file.</summary>
    public void Sort()
    {
        SortByRadix<PlainPrefix>(_plain.AsSpan(0, _plainCount));
        SortByRadix<ShortPrefix>(_short.AsSpan(0, _shortCount));
        SortByRadix<LongPrefix>(_long.AsSpan(0, _longCount));
    }

    private static void SortByRadix<T>(Span<T> items) where T : IRadixKey<T>
    {
        for (int i = 1; i < items.Length; i++)
        {
            if (!T.Less(items[i], items[i - 1])) continue;
            RadixSort.Sort(items);
            return;
        }
    }

    /// <summary>Reads the sorted prefixes in the build's order, the three arrays merged.</summary>
    public Reader Read() => new(this);

    /// <summary>Drops the prefixes (the build is done with them); the lines stay for <see cref="Position"/>.</summary>
    public void Release()
    {
        (_plain, _plainCount) = ([], 0);
        (_short, _shortCount) = ([], 0);
        (_long, _longCount) = ([], 0);
    }

    /// <summary>The file index and line of the entry numbered <paramref name="ordinal"/>.</summary>
    public (int File, int Line) Position(int ordinal)
    {
        int lo = 0, hi = _marks.Count - 1;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi + 1) >> 1);
            if (_marks[mid].Ordinal <= ordinal) lo = mid;
            else hi = mid - 1;
        }
        var mark = _marks[lo];
        return (mark.File, mark.Line + (ordinal - mark.Ordinal));
    }

    private int ValueOf(ulong tag, int ordinal)
    {
        ulong slot = tag & ValueMask;
        return slot == _valueEscape ? _bigValues![ordinal] : (int)slot - 1;
    }

    /// <summary>A cursor over the sorted prefixes (see <see cref="Read"/>).</summary>
    public struct Reader(Ip6PrefixList list)
    {
        private int _p, _s, _l;
        private ulong _tag;

        /// <summary>The top half of the current prefix's network address.</summary>
        public ulong High { get; private set; }

        /// <summary>The low half (zero for /64 and shorter).</summary>
        public ulong Low { get; private set; }

        /// <summary>The current prefix's length.</summary>
        public int Bits { get; private set; }

        /// <summary>Its number in file order.</summary>
        public int Ordinal { get; private set; }

        /// <summary>Its value id, or -1 for an exclusion.</summary>
        public readonly int Value => list.ValueOf(_tag, Ordinal);

        /// <summary>Moves to the next prefix; false at the end.</summary>
        public bool MoveNext()
        {
            // the smallest (top half, tag) of the plain and short heads: both have a zero low half
            int from = -1;
            ulong high = 0, tag = 0;
            if (_p < list._plainCount)
            {
                var p = list._plain[_p];
                (from, high, tag) = (0, p.High, list.PlainTag(p.Ordinal));
            }
            if (_s < list._shortCount)
            {
                var s = list._short[_s];
                if (from < 0 || s.High < high || (s.High == high && s.Tag < tag)) (from, high, tag) = (1, s.High, s.Tag);
            }
            // a long head goes first only below that top half: with the same one, its length (and low half) is larger
            if (_l < list._longCount && (from < 0 || list._long[_l].High < high))
            {
                var l = list._long[_l++];
                (High, Low, _tag) = (l.High, l.Low, l.Tag);
            }
            else if (from >= 0)
            {
                if (from == 0) _p++;
                else _s++;
                (High, Low, _tag) = (high, 0, tag);
            }
            else return false;
            Bits = (int)(_tag >> LengthShift);
            Ordinal = (int)((_tag >> OrdinalShift) & OrdinalMask);
            return true;
        }
    }
}
