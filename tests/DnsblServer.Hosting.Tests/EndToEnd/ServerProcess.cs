using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.EndToEnd;

/// <summary>The built DnsblServer binary run as a user would run it, with its output captured.</summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; private init; }

    public IEnumerable<string> Output => _stdout;

    public IEnumerable<string> Errors => _stderr;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>DnsblServer -b 127.0.0.1/PORT args...</c> on a free port; waits for "started" unless told not to.
    /// <paramref name="descriptorLimit"/> runs it under <c>ulimit -n</c> (soft and hard) of that many descriptors.
    /// </summary>
    public static ServerProcess Start(IEnumerable<string> args, bool waitForStart = true, bool bind = true, IReadOnlyDictionary<string, string>? environment = null,
        int? descriptorLimit = null)
    {
        int port = FreePorts.UdpAndTcp();
        var info = new ProcessStartInfo(descriptorLimit is null ? "dotnet" : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (descriptorLimit is { } limit)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"ulimit -n {limit} && exec dotnet \"$@\"");
            info.ArgumentList.Add("bash");
        }
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DnsblServer.dll"));
        if (bind)
        {
            info.ArgumentList.Add("-b");
            info.ArgumentList.Add($"127.0.0.1/{port}");
        }
        foreach (string arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var server = new ServerProcess(Process.Start(info)!) { Port = port };
        if (waitForStart && !server.WaitForLine(l => l.Contains("DnsblServer started"), TimeSpan.FromSeconds(30)))
        {
            string log = server.Log;
            server.Dispose();
            throw new InvalidOperationException("DnsblServer did not start:\n" + log);
        }
        return server;
    }

    public string Log => string.Join('\n', _stdout) + "\n--- stderr ---\n" + string.Join('\n', _stderr);

    public bool WaitForLine(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_stdout.Any(predicate) || _stderr.Any(predicate)) return true;
            if (_process.HasExited) return _stdout.Any(predicate) || _stderr.Any(predicate);
            Thread.Sleep(50);
        }
        return false;
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit(); // also waits until the output handlers have seen everything
        return true;
    }

    public void Signal(int signal) => Kill(_process.Id, signal);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill(_process.Id, 15);
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        _process.Dispose();
    }


    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
