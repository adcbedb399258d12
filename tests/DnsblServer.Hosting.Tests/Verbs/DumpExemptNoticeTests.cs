using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Verbs;
using DnsblServer.TestSupport;

namespace DnsblServer.Hosting.Tests.Verbs;

/// <summary><c>dump</c> prints the data as listed; with exempt lists configured it says first that they are not applied.</summary>
public sealed class DumpExemptNoticeTests : IDisposable
{
    private readonly ZoneDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> Dump(params string[] extra)
    {
        _dir.Write("bl", ":127.0.0.2:Listed\n40.92.10.20\n");
        _dir.Write("eop", "40.92.0.0/15\n");
        var output = new StringWriter();
        var error = new StringWriter();
        var sources = new SettingsSources
        {
            AppSettingsPath = Path.Combine(_dir.Path, "none", "appsettings.json"),
            Environment = new Dictionary<string, string?>(),
        };
        int code = await VerbRegistry.RunAsync(["dump", "-w", _dir.Path, .. extra, "bl.test:ip4set:bl"], new VerbContext(output, error, sources));
        Assert.True(code == 0, error.ToString());
        return output.ToString();
    }

    [Fact]
    public async Task ExemptListsAreNamedAsNotAppliedBeforeTheData()
    {
        string dump = await Dump("--Dnsbl:Exempt:0:Name=eop", "--Dnsbl:Exempt:0:Files:0=eop");
        string[] lines = dump.Split('\n');
        Assert.Equal("; exempt lists are NOT applied below: the server answers NXDOMAIN for their addresses in these zones", lines[0]);
        Assert.Equal("; exempt eop (eop) applies to every zone", lines[1]);
        Assert.Contains("20.10.92.40", dump); // still printed, as listed
        Assert.True(dump.IndexOf("20.10.92.40", StringComparison.Ordinal) > dump.IndexOf("NOT applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutExemptListsThereIsNoNotice()
    {
        Assert.DoesNotContain("exempt", await Dump());
    }
}
