using DnsblServer.Hosting.Dump;
using DnsblServer.Hosting.Verbs.Explain;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Tests;

/// <summary>combined in the -d dump (rbldnsd's layout: one $ORIGIN per subzone) and in explain (said to be unsupported).</summary>
public sealed class CombinedHostingTests
{
    private const string Combined = """
        $SOA 3600 ns1.example.net hostmaster.example.net 9 600 300 86400 120
        $TTL 1000
        $DATASET ip4set @
        :127.0.0.2:base $
        127.0.0.2
        $DATASET ip4trie sub
        $TTL 500
        10.0.0.0/8 :3:trie $
        $DATASET ip4set deep.sub
        127.0.0.5 :5:deep

        """;

    [Fact]
    public void DumpWritesEachSubzoneUnderItsOwnOrigin()
    {
        using var dir = new ZoneDirectory();
        dir.Write("c", Combined);
        var zones = ZoneSetLoader.Load([ZoneSpec.Parse("z.example:combined:c")], new LoadOptions { WorkingDirectory = dir.Path }).ZoneSet;
        var output = new StringWriter();
        ZoneDumper.Dump(zones, output);
        string[] lines = output.ToString().Split('\n');
        // the lines rbldnsd -d writes for the same file, in the same order
        string[] expected =
        [
            "$ORIGIN\tz.example.",
            "@\t3600\tSOA\tns1.example.net.\thostmaster.example.net.\t(9 600 300 86400 120)",
            "$TTL 1000",
            "$ORIGIN deep.sub.z.example.",
            "5.0.0.127\tA\t127.0.0.5",
            "\tTXT\t\"deep\"",
            "$ORIGIN sub.z.example.",
            "*.10\tA\t127.0.0.3",
            "\tTXT\t\"trie 10.0.0.0\"",
            "$ORIGIN z.example.",
            "2.0.0.127\tA\t127.0.0.2",
            "\tTXT\t\"base 127.0.0.2\"",
            "",
        ];
        Assert.Equal(expected, lines.Skip(2));
    }

    [Fact]
    public void ExplainSaysCombinedIsNotSupportedAndStillAnswers()
    {
        using var dir = new ZoneDirectory();
        dir.Write("c", Combined);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExplainVerb.Run(["z.example", "127.0.0.2", "-w", dir.Path, "z.example:combined:c"], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("not explained: explain does not support combined datasets", output.ToString());
        Assert.Contains("answer: listed: NOERROR, A 127.0.0.2, TXT \"base 127.0.0.2\"", output.ToString());
    }
}
