using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using DnsblServer.Benchmarks.Data;
using DnsblServer.Benchmarks.Reporting;

namespace DnsblServer.Benchmarks.Rbldnsd;

/// <summary>What one rbldnsd start-up on a data set cost.</summary>
/// <param name="TimeToAnswer">From process start until it answered an A query for a listed address.</param>
/// <param name="CpuTime">User + system CPU time of the process when it first answered (10 ms resolution).</param>
/// <param name="LoggedSeconds">Elapsed load time from its <c>zones reloaded, time Xe/Yu sec</c> line (0.1 s resolution).</param>
/// <param name="HeapUsedBytes">malloc'd bytes after the load (<c>mem arena - free + mmap</c> from the same line).</param>
/// <param name="RssBytes">VmRSS of the process after the load.</param>
/// <param name="DatasetLine">Its per-dataset line, e.g. <c>ip4set:f: ... e32/24/16/8=N/0/0/0</c>.</param>
internal sealed record RbldnsdLoadResult(TimeSpan TimeToAnswer, TimeSpan? CpuTime, double? LoggedSeconds, long? HeapUsedBytes, long? RssBytes, string? DatasetLine);

/// <summary>
/// Starts the reference rbldnsd in the foreground on a data set (<c>rbldnsd -n -b 127.0.0.1/PORT -w DIR
/// zone:type:file</c>) and times how long it takes to answer. rbldnsd binds its socket before it
/// loads, so the probes sent meanwhile wait in the socket buffer and the first reply comes right
/// after the load: the wait is measured to well under a millisecond, plus process start-up (~1 ms).
/// </summary>
internal static partial class RbldnsdLoad
{
    /// <summary><c>$RBLDNSD</c>, else /usr/sbin/rbldnsd.</summary>
    public static string BinaryPath { get; } =
        Environment.GetEnvironmentVariable("RBLDNSD") is { Length: > 0 } path ? path : "/usr/sbin/rbldnsd";

    /// <summary>True when the binary exists.</summary>
    public static bool IsAvailable => File.Exists(BinaryPath);

    /// <summary>Starts rbldnsd on <paramref name="file"/>, waits for an answer, measures, and stops it.</summary>
    public static RbldnsdLoadResult Measure(DataSetFile file, string? type = null, TimeSpan? timeout = null)
    {
        type ??= file.Type;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return MeasureOnce(file, type, timeout ?? TimeSpan.FromMinutes(3));
            }
            catch (PortInUseException) when (attempt < 4)
            {
            }
        }
    }

    private static RbldnsdLoadResult MeasureOnce(DataSetFile file, string type, TimeSpan timeout)
    {
        int port = FreeUdpPort();
        var lines = new List<string>();
        var start = new ProcessStartInfo(File.Exists("/usr/bin/stdbuf") ? "/usr/bin/stdbuf" : BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (start.FileName != BinaryPath)
        {
            start.ArgumentList.Add("-oL"); // rbldnsd's stdout is a pipe: make its log lines arrive as written
            start.ArgumentList.Add(BinaryPath);
        }
        foreach (string arg in new[] { "-n", "-b", $"127.0.0.1/{port}", "-w", BenchmarkData.Directory, $"{file.Zone}:{type}:{file.FileName}" })
        {
            start.ArgumentList.Add(arg);
        }

        string probe = file.ProbeName ?? $"{file.Listed & 255}.{(file.Listed >> 8) & 255}.{(file.Listed >> 16) & 255}.{file.Listed >> 24}";
        byte[] query = BuildQuery(probe, file.Zone, out ushort id);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new IPEndPoint(IPAddress.Loopback, port);
        var reply = new byte[4096];

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {BinaryPath}");
        void Collect(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
        }
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            TimeSpan answered = default;
            while (answered == default)
            {
                if (process.HasExited)
                {
                    process.WaitForExit();
                    string log = Snapshot(lines);
                    if (log.Contains("unable to bind", StringComparison.Ordinal)) throw new PortInUseException();
                    throw new InvalidOperationException($"rbldnsd exited with {process.ExitCode}:\n{log}");
                }
                if (clock.Elapsed > timeout) throw new TimeoutException($"rbldnsd did not answer within {timeout}:\n{Snapshot(lines)}");
                socket.SendTo(query, server);
                try
                {
                    // wait up to 100 ms for this or an earlier probe's reply before sending another
                    for (int i = 0; i < 5 && answered == default; i++)
                    {
                        int n = socket.Receive(reply);
                        if (IsListedAnswer(reply.AsSpan(0, n), id)) answered = clock.Elapsed;
                    }
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                }
            }

            TimeSpan? cpu = CpuClock.OfProcess(process.Id);
            long? rss = ReadStatusKb(process.Id, "VmRSS:") * 1024;
            // "zones reloaded" is logged before the server starts answering; give the pipe a moment.
            var wait = Stopwatch.StartNew();
            while (!Snapshot(lines).Contains("zones reloaded", StringComparison.Ordinal) && wait.ElapsedMilliseconds < 2000) Thread.Sleep(10);
            string text = Snapshot(lines);
            var reloaded = ReloadedLine().Match(text);
            double? logged = reloaded.Success ? double.Parse(reloaded.Groups["e"].Value, CultureInfo.InvariantCulture) : null;
            long? heap = reloaded.Success
                ? (long.Parse(reloaded.Groups["arena"].Value, CultureInfo.InvariantCulture) - long.Parse(reloaded.Groups["free"].Value, CultureInfo.InvariantCulture)
                   + long.Parse(reloaded.Groups["mmap"].Value, CultureInfo.InvariantCulture)) * 1024
                : null;
            string? datasetLine = text.Split('\n').FirstOrDefault(l => l.Contains($"{type}:{file.FileName}:", StringComparison.Ordinal));
            return new RbldnsdLoadResult(answered, cpu, logged, heap, rss, datasetLine?.Trim());
        }
        finally
        {
            if (!process.HasExited) process.Kill(); // our own child, by its handle
            process.WaitForExit();
        }
    }

    private static string Snapshot(List<string> lines)
    {
        lock (lines) return string.Join('\n', lines);
    }

    private static long? ReadStatusKb(int pid, string key)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    // A query for A of <name>.<zone> (name: a reversed address or a domain), RD clear (rbldnsd ignores it).
    private static byte[] BuildQuery(string probe, string zone, out ushort id)
    {
        id = (ushort)Random.Shared.Next(1, 65535);
        var packet = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // QDCOUNT
        packet.AddRange(header.ToArray());
        string name = $"{probe}.{zone.TrimEnd('.')}";
        foreach (string label in name.Split('.'))
        {
            packet.Add((byte)label.Length);
            packet.AddRange(Encoding.ASCII.GetBytes(label));
        }
        packet.AddRange(new byte[] { 0, 0, 1, 0, 1 }); // root, QTYPE A, QCLASS IN
        return [.. packet];
    }

    private static bool IsListedAnswer(ReadOnlySpan<byte> reply, ushort id) =>
        reply.Length >= 12 &&
        BinaryPrimitives.ReadUInt16BigEndian(reply) == id &&
        (reply[2] & 0x80) != 0 &&                                  // QR
        (reply[3] & 0x0F) == 0 &&                                  // NOERROR
        BinaryPrimitives.ReadUInt16BigEndian(reply[6..]) > 0;      // ANCOUNT

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [GeneratedRegex(@"zones reloaded, time (?<e>[0-9.]+)e/(?<u>[0-9.]+)u sec, mem arena=(?<arena>\d+) free=(?<free>\d+) mmap=(?<mmap>\d+) Kb")]
    private static partial Regex ReloadedLine();

    private sealed class PortInUseException : Exception;
}
