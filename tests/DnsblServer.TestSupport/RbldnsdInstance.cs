using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace DnsblServer.TestSupport;

/// <summary>
/// A running reference rbldnsd (<c>rbldnsd -n -b 127.0.0.1/PORT -w DIR [options] zonespec...</c>) on a free
/// UDP port, started by <see cref="Start(string, IEnumerable{string}, IEnumerable{string}?, TimeSpan?)"/> and
/// killed on <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// With <c>-n</c>, rbldnsd writes load warnings and errors to stderr as
/// <c>rbldnsd: file NAME(LINE): message</c> (at most 5 per dataset per load, then
/// <c>rbldnsd: TYPE:FILES: N more warnings suppressed</c>) and informational lines (listening, per-dataset
/// counts, <c>zones reloaded</c>, stats) to stdout. stdout is made line-buffered with <c>stdbuf -oL</c> when
/// available so it can be followed live. The <c>rbldnsd: </c> prefix is kept in the captured lines.
/// Run as root, rbldnsd switches to user <c>rbldns</c>: use a <see cref="ZoneDirectory"/> (755/644).
/// Without <c>-q</c>, a load error at start-up makes rbldnsd exit; <see cref="Start(string, IEnumerable{string}, IEnumerable{string}?, TimeSpan?)"/>
/// then throws <see cref="RbldnsdStartException"/> carrying its stderr.
/// </remarks>
public sealed partial class RbldnsdInstance : IDisposable
{
    private const int SigHup = 1;
    private const int SigTerm = 15;
    private const string ReloadedMarker = "zones reloaded";

    private readonly Process _process;
    private readonly object _lock = new();
    private readonly List<string> _stderr = [];
    private readonly List<string> _stdout = [];
    private bool _disposed;

    private RbldnsdInstance(Process process, int port, string directory, IReadOnlyList<string> arguments)
    {
        _process = process;
        Port = port;
        Directory = directory;
        Arguments = arguments;
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>Path of the rbldnsd binary: <c>$RBLDNSD</c> if set, else /usr/sbin/rbldnsd, else the first one on PATH.</summary>
    public static string BinaryPath { get; } = FindBinary();

    /// <summary>True when <see cref="BinaryPath"/> exists. Tests must not skip when false: call <see cref="EnsureAvailable"/>.</summary>
    public static bool IsAvailable => File.Exists(BinaryPath);

    /// <summary>UDP port rbldnsd listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The server endpoint, 127.0.0.1:<see cref="Port"/>.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Working directory passed with <c>-w</c>; zone file names are relative to it.</summary>
    public string Directory { get; }

    /// <summary>The full argument list rbldnsd was started with.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Lines rbldnsd wrote to stderr so far (warnings and errors, e.g. <c>rbldnsd: file a(3): invalid address</c>).</summary>
    public IReadOnlyList<string> ErrorLines => Snapshot(_stderr);

    /// <summary>Lines rbldnsd wrote to stdout so far (informational log).</summary>
    public IReadOnlyList<string> OutputLines => Snapshot(_stdout);

    /// <summary>All stderr so far as one string.</summary>
    public string StandardError => string.Join('\n', ErrorLines);

    /// <summary>All stdout so far as one string.</summary>
    public string StandardOutput => string.Join('\n', OutputLines);

    /// <summary>Number of "zones reloaded" lines seen on stdout (1 after start-up; also counts failed reloads).</summary>
    public int ReloadCount => OutputLines.Count(l => l.Contains(ReloadedMarker, StringComparison.Ordinal));

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Throws <see cref="InvalidOperationException"/> with installation advice when rbldnsd is missing.</summary>
    public static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException(
                $"rbldnsd not found at '{BinaryPath}'. The differential tests need the reference server: " +
                "install it with 'apt-get install -y rbldnsd' or set RBLDNSD to its path.");
        }
    }

    /// <summary>Starts rbldnsd serving <paramref name="zoneSpecs"/> (e.g. <c>bl.example:ip4set:a,b</c>) from <paramref name="directory"/>.</summary>
    public static RbldnsdInstance Start(string directory, params string[] zoneSpecs) => Start(directory, zoneSpecs, null);

    /// <summary>
    /// Starts rbldnsd with extra <paramref name="options"/> (e.g. <c>-e</c>, <c>-t 60:30:300</c> as two arguments,
    /// <c>-c 0</c>) before the zone specs, and waits until it answers a <c>version.bind CH TXT</c> probe (any reply
    /// counts) or logs its "started" line. Picks a free port and retries on another if binding fails. Throws
    /// <see cref="RbldnsdStartException"/> if it exits or stays silent for <paramref name="startTimeout"/> (default 10 s).
    /// </summary>
    public static RbldnsdInstance Start(string directory, IEnumerable<string> zoneSpecs, IEnumerable<string>? options, TimeSpan? startTimeout = null)
    {
        EnsureAvailable();
        var specs = zoneSpecs.ToList();
        var extra = options?.ToList() ?? [];
        var timeout = startTimeout ?? TimeSpan.FromSeconds(10);
        RbldnsdStartException? lastError = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePorts.Udp();
            var arguments = new List<string> { "-n", "-b", $"127.0.0.1/{port}", "-w", directory };
            arguments.AddRange(extra);
            arguments.AddRange(specs);
            var instance = Launch(port, directory, arguments);
            try
            {
                instance.WaitUntilAnswering(timeout);
                return instance;
            }
            catch (RbldnsdStartException e)
            {
                instance.Dispose();
                lastError = e;
                if (!e.StandardError.Contains("unable to bind", StringComparison.Ordinal))
                {
                    throw;
                }
            }
        }

        throw lastError!;
    }

    /// <summary>A <see cref="RawDnsClient"/> for this server.</summary>
    public RawDnsClient CreateClient(TimeSpan? timeout = null) => new(EndPoint, timeout);

    /// <summary>Sends SIGHUP (check files and reload changed datasets; reopen the query log).</summary>
    public void SendHup() => SendSignal(SigHup);

    /// <summary>
    /// Sends SIGHUP and waits until a new "zones reloaded" line appears (printed after every reload attempt,
    /// successful or not, but not when no file changed). Returns false on timeout (default 5 s).
    /// </summary>
    public bool SendHupAndWaitForReload(TimeSpan? timeout = null)
    {
        var before = ReloadCount;
        SendHup();
        return WaitFor(() => ReloadCount > before, timeout ?? TimeSpan.FromSeconds(5));
    }

    /// <summary>Sends a signal number (e.g. 10 = SIGUSR1 on Linux) to the process.</summary>
    public void SendSignal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits until some stderr or stdout line satisfies <paramref name="predicate"/>; false on timeout.</summary>
    public bool WaitForLine(Func<string, bool> predicate, TimeSpan timeout) =>
        WaitFor(() => ErrorLines.Any(predicate) || OutputLines.Any(predicate), timeout);

    /// <summary>Stops rbldnsd (SIGTERM, then SIGKILL after 2 s) and releases the process.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm);
                if (!_process.WaitForExit(2000))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(2000);
                }
            }

            _process.WaitForExit(); // drains the redirected streams
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"rbldnsd {string.Join(' ', Arguments)}";

    private static RbldnsdInstance Launch(int port, string directory, List<string> arguments)
    {
        var stdbuf = File.Exists("/usr/bin/stdbuf") ? "/usr/bin/stdbuf" : null;
        var start = new ProcessStartInfo(stdbuf ?? BinaryPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (stdbuf is not null)
        {
            start.ArgumentList.Add("-oL");
            start.ArgumentList.Add(BinaryPath);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null for rbldnsd");
        return new RbldnsdInstance(process, port, directory, arguments);
    }

    private void WaitUntilAnswering(TimeSpan timeout)
    {
        var client = new RawDnsClient(EndPoint, TimeSpan.FromMilliseconds(200));
        var probe = DnsPacket.Query("version.bind", 16, DnsPacket.ClassCh);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flush the stream readers
                throw new RbldnsdStartException($"rbldnsd exited with code {_process.ExitCode} during start-up", _process.ExitCode, StandardError, this);
            }

            // The "started" line (stdout, line-buffered via stdbuf) covers configurations that drop the probe,
            // e.g. a global ACL that ignores 127.0.0.1.
            if (OutputLines.Any(l => l.Contains(" started (", StringComparison.Ordinal)) || client.Send(probe) is not null)
            {
                return;
            }

            Thread.Sleep(20);
        }

        throw new RbldnsdStartException($"rbldnsd did not answer within {timeout.TotalSeconds:0.#} s", null, StandardError, this);
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    private void Append(List<string> lines, string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                lines.Add(line);
            }
        }
    }

    private string[] Snapshot(List<string> lines)
    {
        lock (_lock)
        {
            return [.. lines];
        }
    }


    private static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable("RBLDNSD") is { Length: > 0 } configured)
        {
            return configured;
        }

        const string debian = "/usr/sbin/rbldnsd";
        if (File.Exists(debian))
        {
            return debian;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "rbldnsd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return debian;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>rbldnsd exited or did not answer during start-up.</summary>
public sealed class RbldnsdStartException : Exception
{
    internal RbldnsdStartException(string message, int? exitCode, string standardError, RbldnsdInstance instance)
        : base($"{message}: {instance}\n--- stderr ---\n{standardError}")
    {
        ExitCode = exitCode;
        StandardError = standardError;
    }

    /// <summary>Exit code if the process exited, else null (timeout).</summary>
    public int? ExitCode { get; }

    /// <summary>What rbldnsd wrote to stderr, e.g. <c>rbldnsd: zone loading errors, aborting</c>.</summary>
    public string StandardError { get; }
}
