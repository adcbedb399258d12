using System.Diagnostics;

namespace DnsblServer.Zones.Datasets.Dns;

/// <summary>One dnset line as the parser keeps it: a reversed wire key in the chunk's key buffer, the arrays
/// its spelling names and its value id (<see cref="DnsNameChunk.Exclusion"/> for <c>!</c>).</summary>
internal struct NameRecord(int keyOffset, int value, byte keyLength, byte arrays)
{
    public readonly int KeyOffset = keyOffset;
    public readonly int Value = value;
    public readonly byte KeyLength = keyLength;
    public readonly byte Arrays = arrays;
    public byte Shared; // bytes shared with the record before it, while a run is written
}

/// <summary>
/// A bounded buffer of dnset records (the lines of a chunk of the files, in file order) that turns into a
/// sorted run: the records in key order, equal keys in file order, front-coded into one exact byte array of
/// about 14 B per record on a 1M-name file. Each entry: shared-prefix length, suffix length, suffix, then
/// <c>(value + 1) &lt;&lt; 2 | arrays</c> as LEB128 (0 as value = exclusion). The buffer is reused for the next chunk.
/// </summary>
internal sealed class DnsNameChunk
{
    /// <summary>The value id of an exclusion.</summary>
    public const int Exclusion = -1;

    /// <summary>Records per chunk by default: under 3 MB of buffers (12 B record, 8 B prefix, ~20 B key). On a
    /// 1M-name file (16 runs) 32K, 64K, 128K and 256K records peaked 43, 45, 50 and 56 MB above the start, the runs
    /// taking 14.5 to 13.9 MB: the chunk's memory is not reused before the merge ends, and a smaller one makes more runs to merge.</summary>
    public const int DefaultRecords = 1 << 16;

    private const int KeyBytesPerRecord = 24; // the key buffer's share per record (names average ~20 wire bytes)

    private readonly int _maxRecords;
    private readonly int _maxKeyBytes;
    private byte[] _keys = [];
    private int _keysLength;
    private NameRecord[] _records = [];
    private ulong[] _prefixes = []; // first 8 key bytes of each record, kept apart to sort as numbers
    private int _count;

    /// <summary>A chunk of at most <paramref name="maxRecords"/> records.</summary>
    public DnsNameChunk(int maxRecords)
    {
        _maxRecords = Math.Max(1, maxRecords);
        _maxKeyBytes = (int)Math.Min(Array.MaxLength, Math.Max((long)_maxRecords * KeyBytesPerRecord, DnsNameText.MaxWireLength));
    }

    /// <summary>Records held.</summary>
    public int Count => _count;

    /// <summary>Reserves room for about <paramref name="bytes"/> more bytes of file, up to the chunk's bounds,
    /// instead of doubling through them (a record per 16 bytes of file, a key about as long as its text).</summary>
    public void ReserveForFile(long bytes)
    {
        int records = (int)Math.Min(_maxRecords, _count + bytes / 16);
        if (records > _records.Length) Resize(records);
        int keyBytes = (int)Math.Min(_maxKeyBytes, _keysLength + bytes);
        if (keyBytes > _keys.Length) Array.Resize(ref _keys, keyBytes);
    }

    /// <summary>False when the chunk is full (write it as a run, then add again).</summary>
    public bool TryAdd(ReadOnlySpan<byte> wire, byte arrays, int value)
    {
        if (_count == _maxRecords || _keysLength + wire.Length > _maxKeyBytes) return false;
        if (_count == _records.Length) Resize((int)Math.Min(_maxRecords, Math.Max(256, _records.Length * 2L)));
        if (_keysLength + wire.Length > _keys.Length)
        {
            Array.Resize(ref _keys, (int)Math.Min(_maxKeyBytes, Math.Max(_keys.Length * 2L, Math.Max(4096, _keysLength + wire.Length))));
        }
        Span<byte> key = _keys.AsSpan(_keysLength, wire.Length);
        DnsSetParser.Reverse(wire, key);
        _prefixes[_count] = DnsNameIndex.Prefix(key);
        _records[_count++] = new NameRecord(_keysLength, value, (byte)wire.Length, arrays);
        _keysLength += wire.Length;
        return true;
    }

    private void Resize(int capacity)
    {
        Array.Resize(ref _records, capacity);
        Array.Resize(ref _prefixes, capacity);
    }

    /// <summary>Sorts the records, writes them as a run (an array of its exact length) and empties the chunk.</summary>
    public byte[] ToRun()
    {
        Sort();
        long length = 0;
        for (int i = 0; i < _count; i++)
        {
            ref NameRecord r = ref _records[i];
            int shared = i == 0 ? 0 : KeyOf(r).CommonPrefixLength(KeyOf(_records[i - 1]));
            r.Shared = (byte)shared;
            length += 2 + r.KeyLength - shared + VarintLength(Code(r));
        }
        var run = new byte[length];
        int pos = 0;
        for (int i = 0; i < _count; i++)
        {
            NameRecord r = _records[i];
            run[pos++] = r.Shared;
            run[pos++] = (byte)(r.KeyLength - r.Shared);
            KeyOf(r)[r.Shared..].CopyTo(run.AsSpan(pos));
            pos += r.KeyLength - r.Shared;
            for (uint v = Code(r); ; v >>= 7)
            {
                if (v < 0x80)
                {
                    run[pos++] = (byte)v;
                    break;
                }
                run[pos++] = (byte)(v | 0x80);
            }
        }
        Debug.Assert(pos == run.Length);
        _count = _keysLength = 0;
        return run;
    }

    private static uint Code(in NameRecord r) => ((uint)(r.Value + 1) << 2) | r.Arrays;

    private static int VarintLength(uint v)
    {
        int length = 1;
        for (; v >= 0x80; v >>= 7) length++;
        return length;
    }

    private ReadOnlySpan<byte> KeyOf(in NameRecord r) => _keys.AsSpan(r.KeyOffset, r.KeyLength);

    // Key order, equal keys in file order, sorted in place with the 8-byte prefixes: the prefixes sort as plain
    // numbers (an Array.Sort of ulong keys is several times faster than a comparer over key bytes), and only
    // runs of equal prefixes then need their key bytes compared.
    private void Sort()
    {
        Array.Sort(_prefixes, _records, 0, _count);
        var byKey = new RecordOrder(_keys);
        for (int i = 0; i < _count;)
        {
            int j = i + 1;
            while (j < _count && _prefixes[j] == _prefixes[i]) j++;
            if (j - i > 1) _records.AsSpan(i, j - i).Sort(byKey);
            i = j;
        }
    }

    // Key order, then file order (keys are appended as lines are read, so the offset is the line order).
    private readonly struct RecordOrder(byte[] keys) : IComparer<NameRecord>
    {
        public int Compare(NameRecord a, NameRecord b)
        {
            int c = keys.AsSpan(a.KeyOffset, a.KeyLength).SequenceCompareTo(keys.AsSpan(b.KeyOffset, b.KeyLength));
            return c != 0 ? c : a.KeyOffset.CompareTo(b.KeyOffset);
        }
    }
}

/// <summary>
/// Reads sorted runs (<see cref="DnsNameChunk.ToRun"/>) back as one sequence: every record of every run in key
/// order, equal keys in run order and within a run in their order there, which is file order since the runs
/// were cut from the files in order. A tree of losers over the runs, ordered by (first 8 key bytes, key, run):
/// each record costs one comparison per level (4 for the 16 runs of a 1M-name file). A merge can record the
/// run each record came from (1 B per record) so that a second merge of the same runs replays it without comparing.
/// </summary>
internal sealed class DnsNameRunMerge
{
    /// <summary>The most runs whose merge order fits the bytes of an order array.</summary>
    public const int MaxRecordedRuns = 256;

    private readonly Cursor[] _cursors;
    private readonly int[] _tree; // [0] the winner (current record's run), [1..k) the loser of each match; leaf i is node k + i
    private readonly byte[]? _order;
    private readonly bool _replay;
    private int _position;
    private bool _started;

    /// <summary>A merge of <paramref name="runs"/>, given in file order; call <see cref="MoveNext"/> first.</summary>
    /// <param name="runs">The runs, in file order.</param>
    /// <param name="order">Null, or one byte per record of all the runs (at most <see cref="MaxRecordedRuns"/>):
    /// the merge writes each record's run there, and a second merge of the same runs given it with
    /// <paramref name="replay"/> reads the order back instead of comparing keys.</param>
    /// <param name="replay">Read <paramref name="order"/> rather than write it.</param>
    public DnsNameRunMerge(IReadOnlyList<byte[]> runs, byte[]? order = null, bool replay = false)
    {
        if (order is not null && runs.Count > MaxRecordedRuns) throw new ArgumentException("too many runs to record their order", nameof(order));
        _order = order;
        _replay = replay && order is not null;
        int k = runs.Count;
        _cursors = new Cursor[Math.Max(1, k)];
        for (int i = 0; i < _cursors.Length; i++)
        {
            _cursors[i] = new Cursor(i < k ? runs[i] : []); // no runs: one empty run
            _cursors[i].Next();
        }
        k = _cursors.Length;
        _tree = new int[k];
        var winners = new int[2 * k];
        for (int i = 0; i < k; i++) winners[k + i] = i;
        for (int node = k - 1; node >= 1; node--)
        {
            int a = winners[2 * node], b = winners[2 * node + 1];
            bool aWins = Less(a, b);
            winners[node] = aWins ? a : b;
            _tree[node] = aWins ? b : a;
        }
        _tree[0] = winners[1];
    }

    /// <summary>The current record's key.</summary>
    public ReadOnlySpan<byte> Key => _cursors[_tree[0]].Key;

    /// <summary>The first 8 bytes of <see cref="Key"/> (<see cref="DnsNameIndex.Prefix"/>).</summary>
    public ulong Prefix => _cursors[_tree[0]].Prefix;

    /// <summary>The current record's arrays (1 plain, 2 wildcard, 3 both).</summary>
    public byte Arrays => _cursors[_tree[0]].Arrays;

    /// <summary>The current record's value id, or <see cref="DnsNameChunk.Exclusion"/>.</summary>
    public int Value => _cursors[_tree[0]].Value;

    /// <summary>Moves to the next record; false after the last.</summary>
    public bool MoveNext()
    {
        int winner = _tree[0];
        if (_started && !_cursors[winner].Done)
        {
            _cursors[winner].Next();
            if (_replay)
            {
                // After the last record its run, like every run, is done: keep it as the winner.
                if (_position < _order!.Length) winner = _order[_position];
            }
            else
            {
                for (int node = (winner + _cursors.Length) >> 1; node >= 1; node >>= 1)
                {
                    int other = _tree[node];
                    if (Less(other, winner))
                    {
                        _tree[node] = winner;
                        winner = other;
                    }
                }
            }
            _tree[0] = winner;
        }
        _started = true;
        if (_cursors[winner].Done) return false;
        if (_order is not null)
        {
            if (!_replay) _order[_position] = (byte)winner;
            _position++;
        }
        return true;
    }

    // An exhausted run sorts after every record; equal keys go by run order.
    private bool Less(int a, int b)
    {
        Cursor x = _cursors[a], y = _cursors[b];
        if (x.Done || y.Done) return x.Done == y.Done ? a < b : y.Done;
        if (x.Prefix != y.Prefix) return x.Prefix < y.Prefix;
        int c = x.Key.SequenceCompareTo(y.Key);
        return c != 0 ? c < 0 : a < b;
    }

    private sealed class Cursor(byte[] run)
    {
        private readonly byte[] _key = new byte[DnsNameText.MaxWireLength];
        private int _keyLength;
        private int _pos;

        public ulong Prefix;
        public byte Arrays;
        public int Value;
        public bool Done;

        public ReadOnlySpan<byte> Key => _key.AsSpan(0, _keyLength);

        public void Next()
        {
            byte[] data = run; // a local: the JIT keeps it in a register
            if (_pos >= data.Length)
            {
                Done = true;
                return;
            }
            int shared = data[_pos], suffix = data[_pos + 1];
            data.AsSpan(_pos + 2, suffix).CopyTo(_key.AsSpan(shared));
            _keyLength = shared + suffix;
            _pos += 2 + suffix;
            uint code = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = data[_pos++];
                code |= (uint)(b & 0x7f) << shift;
                if (b < 0x80) break;
            }
            Arrays = (byte)(code & 3);
            Value = (int)(code >> 2) - 1;
            if (shared < 8) Prefix = DnsNameIndex.Prefix(Key); // else the first 8 bytes are the previous key's
        }
    }
}
