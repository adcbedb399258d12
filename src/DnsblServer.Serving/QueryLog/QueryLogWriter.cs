using System.Buffers.Binary;
using System.Text;
using DnsblServer.Serving.Pipeline;

namespace DnsblServer.Serving.QueryLog;

/// <summary>
/// rbldnsd's query log (-l): one line per answered query,
/// <c>unixtime client qname QTYPE QCLASS: RCODE/ancount/bytes</c>. Socket loops only copy a record
/// into their own ring (<see cref="QueryLogRing"/>); this writer's thread formats and writes them,
/// so a slow disk never delays an answer. Dropped packets are not logged, as in rbldnsd.
/// </summary>
public sealed class QueryLogWriter : IAfterAnswerStep, IDisposable
{
    [ThreadStatic] private static QueryLogRing? t_ring;
    [ThreadStatic] private static QueryLogWriter? t_owner;

    private readonly List<QueryLogRing> _rings = [];
    private readonly string _path;
    private readonly bool _unbuffered;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly long _startUnix = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private readonly long _startTick = Environment.TickCount64;
    private readonly StringBuilder _line = new(320);
    private TextWriter _output;
    private volatile bool _reopen;

    /// <summary>Opens the log: a file path (appended to), or "-" for standard output.</summary>
    /// <param name="path">The log file, or "-".</param>
    /// <param name="unbuffered">Flush after every batch of lines (rbldnsd's "+file").</param>
    public QueryLogWriter(string path, bool unbuffered)
    {
        _path = path;
        _unbuffered = unbuffered;
        _output = Open();
        _thread = new Thread(Run) { IsBackground = true, Name = "query log" };
        _thread.Start();
    }

    /// <summary>Records dropped because a loop's queue was full.</summary>
    public long Dropped
    {
        get
        {
            lock (_rings) return _rings.Sum(r => r.Dropped);
        }
    }

    /// <summary>Queues the answer about to be sent (an <see cref="AfterAnswerStage"/> step; no locks after a thread's first call).</summary>
    public void Run(ref AnswerFacts facts, Span<byte> response)
    {
        if (!facts.Answered || facts.QuestionEnd <= 12) return; // nothing sent, nothing logged, as rbldnsd
        var ring = t_ring;
        if (ring is null || !ReferenceEquals(t_owner, this)) ring = Register();
        long unix = (_startUnix + (Environment.TickCount64 - _startTick)) / 1000;
        ring.Add(unix, facts.ClientAddress, response, facts.QuestionEnd);
    }

    /// <summary>Reopens the file at the next write (SIGHUP, for log rotation).</summary>
    public void Reopen() => _reopen = true;

    /// <summary>Writes what is queued and closes the file.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
        if (!ReferenceEquals(_output, Console.Out)) _output.Dispose();
        else _output.Flush();
    }

    private QueryLogRing Register()
    {
        var ring = new QueryLogRing();
        lock (_rings) _rings.Add(ring);
        t_ring = ring;
        t_owner = this;
        return ring;
    }

    private TextWriter Open() => _path == "-"
        ? Console.Out
        : new StreamWriter(new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false), 1 << 16);

    private void Run()
    {
        while (true)
        {
            bool stopping = _stop.Wait(100);
            if (_reopen)
            {
                _reopen = false;
                if (!ReferenceEquals(_output, Console.Out))
                {
                    _output.Dispose();
                    _output = Open();
                }
            }
            QueryLogRing[] rings;
            lock (_rings) rings = [.. _rings];
            int written = 0;
            foreach (var ring in rings) written += ring.Drain(WriteLine);
            if (written > 0 && (_unbuffered || stopping)) _output.Flush();
            if (stopping) return;
        }
    }

    private void WriteLine(ReadOnlySpan<byte> slot)
    {
        var line = _line.Clear();
        line.Append(BinaryPrimitives.ReadInt64LittleEndian(slot)).Append(' ');
        int addressLength = slot[8];
        line.Append(addressLength == 0 ? "?" : new System.Net.IPAddress(slot.Slice(9, addressLength)).ToString()).Append(' ');
        int question = slot[29] | (slot[30] << 8);
        var q = slot.Slice(31, question);
        int nameLength = DnsText.AppendName(line, q);
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(q[nameLength..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(q[(nameLength + 2)..]);
        line.Append(' ').Append(DnsText.TypeName(type)).Append(' ').Append(DnsText.ClassName(@class)).Append(": ")
            .Append(DnsText.RcodeName(slot[25])).Append('/').Append(slot[26]).Append('/').Append(BinaryPrimitives.ReadUInt16LittleEndian(slot[27..]))
            .Append('\n');
        _output.Write(line);
    }
}
