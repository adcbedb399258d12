using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DnsblServer.TestSupport;
using Xunit.Abstractions;

namespace DnsblServer.Hosting.Tests.Admin;

/// <summary>
/// Where the admin API writes, against the real binary: pushed TXT as UTF-8 bytes, uploads through a
/// symbolic link, a journal path that is a directory, a read-only zone directory.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AdminWriteTests(ITestOutputHelper output) : IDisposable
{
    private const string Head = "$SOA 60 ns.bl.test hm.bl.test 1 1 1 1 30\n$NS 60 ns.bl.test\n";
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void APushedTxtIsServedAsTheSameBytesAsAFileLine()
    {
        _dir.Write("bl", Head + "192.0.2.1 :127.0.0.2:café 日本\n");
        using var server = AdminServer.Start(["-n", "-c", "1", "-w", _dir.Path, "bl.test:ip4set:bl"]);
        string fromFile = server.Answer("1.2.0.192.bl.test");
        Assert.StartsWith("caf", fromFile);

        string body = JsonSerializer.Serialize(new { file = "bl", entry = "192.0.2.99", value = ":127.0.0.2:café 日本" });
        var (status, response, _) = server.Send(HttpMethod.Post, "/v1/entries", body);
        Assert.True(status == HttpStatusCode.OK, response.ToString());
        Assert.Equal(fromFile, server.Answer("99.2.0.192.bl.test"));
    }

    [Fact]
    public void AnUploadToASymbolicLinkWritesThroughToItsTarget()
    {
        string mirror = _dir.GetPath("mirror");
        Directory.CreateDirectory(mirror);
        string real = Path.Combine(mirror, "bl.real");
        File.WriteAllText(real, Head + "192.0.2.1\n");
        File.CreateSymbolicLink(_dir.GetPath("bl"), Path.Combine("mirror", "bl.real"));
        using var server = AdminServer.Start(["-n", "-c", "1", "-w", _dir.Path, "bl.test:ip4set:bl"]);

        var (status, body, _) = server.Send(HttpMethod.Put, "/v1/files?path=bl", Head + "192.0.2.50\n");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("127.0.0.2", server.Answer("50.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
        Assert.NotNull(new FileInfo(_dir.GetPath("bl")).LinkTarget); // still a link
        Assert.Equal(Head + "192.0.2.50\n", File.ReadAllText(real));
        Assert.Equal(["bl.real"], Directory.GetFiles(mirror).Select(Path.GetFileName)); // no temporary file left

        // the mirror updates the target later: served after a reload, the link still being followed
        File.WriteAllText(real, Head + "192.0.2.77\n");
        Assert.Equal(HttpStatusCode.OK, server.Send(HttpMethod.Post, "/v1/reload").Status);
        Assert.Equal("127.0.0.2", server.Answer("77.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
        Assert.Equal("NXDOMAIN", server.Answer("50.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
    }

    [Fact]
    public void ConcurrentUploadsAreValidatedOneAtATime()
    {
        _dir.Write("bl", Head + "192.0.2.1\n");
        using var server = AdminServer.Start(["-n", "-c", "1", "-w", _dir.Path, "bl.test:ip4set:bl"]);
        // three large files at once: each waits for the ones before it instead of taking a core beside them
        string[] files = [.. Enumerable.Range(0, 3).Select(n => Head + string.Concat(Enumerable.Range(0, 120_000).Select(i => $"10.{n}.{i >> 8 & 255}.{i & 255}\n")))];
        var results = files.AsParallel().WithDegreeOfParallelism(3)
            .Select(f => server.Send(HttpMethod.Put, "/v1/files?path=bl", f)).ToList();
        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body.ToString()));
        var waited = results.Select(r => r.Body.GetProperty("waitedSeconds").GetDouble()).Order().ToList();
        output.WriteLine($"waited: {string.Join(", ", waited.Select(w => w.ToString("0.000")))} s");
        Assert.True(waited[^1] > 0.01, $"no upload waited: {string.Join(", ", waited)}");
        Assert.Contains(File.ReadAllText(_dir.GetPath("bl")), files); // one of them, whole
        Assert.Equal(["bl"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AJournalPathThatIsADirectoryIsLoggedAndRefusesPushes()
    {
        _dir.Write("bl", Head + "192.0.2.1\n");
        string journal = _dir.GetPath("bl.journal");
        Directory.CreateDirectory(journal);
        using var server = AdminServer.Start(["-n", "-c", "1", "-w", _dir.Path, "bl.test:ip4set:bl"]);
        Assert.True(server.Process.WaitForLine(l => l.Contains(journal) && l.Contains("directory"), TimeSpan.FromSeconds(5)), server.Process.Log);

        var (status, body, _) = server.Send(HttpMethod.Post, "/v1/entries", """{"file":"bl","entry":"192.0.2.99"}""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(journal, body.GetProperty("error").GetString());
        Assert.Contains("directory", body.GetProperty("error").GetString());
        Assert.Equal("NXDOMAIN", server.Answer("99.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
    }

    [Fact]
    public void AnUploadIntoAReadOnlyZoneDirectoryNamesItAndSaysWhy()
    {
        string zones = _dir.GetPath("ro");
        Directory.CreateDirectory(zones);
        File.WriteAllText(Path.Combine(zones, "bl"), Head + "192.0.2.1\n");
        if (!MakeReadOnly(zones)) return; // neither a mount (root) nor a mode bit (others) could make it read-only here
        try
        {
            using var server = AdminServer.Start(["-n", "-c", "1", "-w", zones, "bl.test:ip4set:bl"]);
            var (status, body, _) = server.Send(HttpMethod.Put, "/v1/files?path=bl", Head + "192.0.2.50\n");
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            string error = body.GetProperty("error").GetString()!;
            Assert.Contains("zone directory is read-only: " + zones, error);
            Assert.Equal("127.0.0.2", server.Answer("1.2.0.192.bl.test", ARSoft.Tools.Net.Dns.RecordType.A));
        }
        finally
        {
            if (Environment.UserName == "root") Run("umount", zones);
            else File.SetUnixFileMode(zones, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // root writes through mode bits, so for root a read-only bind mount of the directory over itself
    private bool MakeReadOnly(string directory)
    {
        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return true;
        }
        if (!Run("mount", "--bind", directory, directory)) return false;
        if (Run("mount", "-o", "remount,bind,ro", directory)) return true;
        Run("umount", directory);
        return false;
    }

    private bool Run(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            if (!process.WaitForExit(10_000)) process.Kill();
            output.WriteLine($"{command} {string.Join(' ', args)}: exit {process.ExitCode} {process.StandardError.ReadToEnd()}");
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output.WriteLine($"{command}: {e.Message}");
            return false;
        }
    }
}
