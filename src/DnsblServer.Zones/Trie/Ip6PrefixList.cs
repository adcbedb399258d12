namespace DnsblServer.Zones.Trie;

/// <summary>
/// The prefixes of a longest-prefix IPv6 dataset (ip6trie, the IPv6 half of acl) while it loads, kept
/// in the least memory that still lets the build sort them and name each duplicate's file and line:
/// the scratch of a load, whose peak is what an operator sizes the machine for.
/// <para>
/// Each prefix is an address and a 64-bit tag: its length (8 bits), its ordinal in file order (31
/// bits) and its value id + 1 (25 bits, 0 = exclusion), so comparing (address, tag) as numbers gives
/// the build's order (address, length, file order) with no comparer and no key array. A prefix of /64
/// or shorter (most of a list) has a zero low half and is stored as one 16-byte number (top half,
/// tag); a longer one as 24 bytes (both halves, tag). The old form was 32 bytes plus an 8-byte sort
/// key: the benchmark's 1M lines (95% /64 or shorter) took 45 MB of scratch, now 16 MB.
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

    /// <summary>The most entries a list holds (the ordinal's 31 bits less one).</summary>
    public const int MaxCount = int.MaxValue - 1;

    private readonly ulong _valueEscape; // the stored value field meaning "look in _bigValues"
    private UInt128[] _short = [];
    private int _shortCount;
    private LongPrefix[] _long = [];
    private int _longCount;
    private int _count;
    private readonly List<LineMark> _marks = [];
    private int _lastFile = -1, _lastLine;
    private Dictionary<int, int>? _bigValues;

    /// <summary>Creates a list; <paramref name="inlineValueLimit"/> (tests only) lowers the largest value id kept in the tag.</summary>
    public Ip6PrefixList(int inlineValueLimit = (int)ValueMask - 2) => _valueEscape = (ulong)inlineValueLimit + 2;

    /// <summary>Entries added (duplicates included).</summary>
    public int Count => _count;

    /// <summary>Where an entry's line number stops following from the previous entry's.</summary>
    private readonly record struct LineMark(int Ordinal, int File, int Line);

    /// <summary>A prefix longer than /64: 24 bytes, ordered like the short ones.</summary>
    private readonly record struct LongPrefix(ulong High, ulong Low, ulong Tag) : IComparable<LongPrefix>
    {
        public int CompareTo(LongPrefix other)
        {
            int c = High.CompareTo(other.High);
            if (c == 0) c = Low.CompareTo(other.Low);
            return c != 0 ? c : Tag.CompareTo(other.Tag);
        }
    }

    /// <summary>
    /// Makes room for about <paramref name="expected"/> more prefixes at once: all of them /64 or shorter, and
    /// one in 16 of them longer (the benchmark list has one in 20; a list with more grows by doubling). The
    /// arrays are not cleared, so room that is never filled is never touched (and costs no resident memory
    /// when the pages come fresh from the system), while doubling leaves the old array as garbage at the peak.
    /// </summary>
    public void Reserve(long expected)
    {
        long wanted = Math.Min(_shortCount + expected, Array.MaxLength);
        if (wanted > _short.Length) Resize(ref _short, _shortCount, (int)wanted);
        wanted = Math.Min(_longCount + expected / 16, Array.MaxLength);
        if (wanted > _long.Length) Resize(ref _long, _longCount, (int)wanted);
    }

    /// <summary>Adds a prefix (<paramref name="network"/> with the host bits clear) of value <paramref name="value"/> (-1: exclusion), read at <paramref name="file"/>:<paramref name="line"/>.</summary>
    public void Add(UInt128 network, int bits, int value, int file, int line)
    {
        if (_count == MaxCount) throw new InvalidOperationException($"more than {MaxCount} IPv6 entries");
        int ordinal = _count++;
        if (file != _lastFile || line != _lastLine + 1) _marks.Add(new LineMark(ordinal, file, line));
        (_lastFile, _lastLine) = (file, line);
        ulong slot = (ulong)(value + 1);
        if (slot >= _valueEscape)
        {
            (_bigValues ??= []).Add(ordinal, value);
            slot = _valueEscape;
        }
        ulong tag = ((ulong)bits << LengthShift) | ((ulong)ordinal << OrdinalShift) | slot;
        ulong high = (ulong)(network >> 64), low = (ulong)network;
        if (bits <= 64)
        {
            if (_shortCount == _short.Length) Resize(ref _short, _shortCount, Math.Max(1024, (int)Math.Min(2L * _shortCount, Array.MaxLength)));
            _short[_shortCount++] = new UInt128(high, tag);
        }
        else
        {
            if (_longCount == _long.Length) Resize(ref _long, _longCount, Math.Max(256, (int)Math.Min(2L * _longCount, Array.MaxLength)));
            _long[_longCount++] = new LongPrefix(high, low, tag);
        }
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
        var shorts = _short.AsSpan(0, _shortCount);
        if (!IsSorted<UInt128>(shorts)) RadixSort128.Sort(shorts);
        var longs = _long.AsSpan(0, _longCount);
        if (!IsSorted<LongPrefix>(longs)) longs.Sort();
    }

    private static bool IsSorted<T>(ReadOnlySpan<T> items) where T : IComparable<T>
    {
        for (int i = 1; i < items.Length; i++)
        {
            if (items[i - 1].CompareTo(items[i]) > 0) return false;
        }
        return true;
    }

    /// <summary>Reads the sorted prefixes in the build's order, the short and the long ones merged.</summary>
    public Reader Read() => new(this);

    /// <summary>Drops the prefixes (the build is done with them); the lines stay for <see cref="Position"/>.</summary>
    public void Release()
    {
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
        private int _s, _l;

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

        private ulong _tag;

        /// <summary>Moves to the next prefix; false at the end.</summary>
        public bool MoveNext()
        {
            bool haveShort = _s < list._shortCount, haveLong = _l < list._longCount;
            if (haveShort && haveLong)
            {
                // with equal top halves the short one sorts first: its low half is zero and its length shorter
                haveLong = list._long[_l].High < (ulong)(list._short[_s] >> 64);
                haveShort = !haveLong;
            }
            if (haveShort)
            {
                var s = list._short[_s++];
                (High, Low, _tag) = ((ulong)(s >> 64), 0, (ulong)s);
            }
            else if (haveLong)
            {
                var l = list._long[_l++];
                (High, Low, _tag) = (l.High, l.Low, l.Tag);
            }
            else return false;
            Bits = (int)(_tag >> LengthShift);
            Ordinal = (int)((_tag >> OrdinalShift) & OrdinalMask);
            return true;
        }
    }
}
