using DnsblServer.Hosting.Dump;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Tests;

public sealed class ZoneDumperTests
{
    [Fact]
    public void DumpsRangesAsOctetAlignedNamesAndLeavesExclusionsOut()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", "$SOA 60 ns.bl.test hm.bl.test 5 1 1 1 30\n$NS 60 ns1.bl.test\n:127.0.0.2:Listed $\n10.0.0.250-10.0.2.3 :3:r\n10.8.1.0/24\n!10.8.1.1\n10.9.0.0/16\n");
        var zones = ZoneSetLoader.Load([ZoneSpec.Parse("bl.test:ip4set:bl")], new LoadOptions { WorkingDirectory = dir.Path }).ZoneSet;
        var output = new StringWriter();
        ZoneDumper.Dump(zones, output);
        string[] lines = output.ToString().Split('\n');
        Assert.Contains("$ORIGIN\tbl.test.", lines);
        Assert.Contains("@\t60\tSOA\tns.bl.test.\thm.bl.test.\t(5 1 1 1 30)", lines);
        Assert.Contains("\t60\tNS\tns1.bl.test.", lines);
        Assert.Contains("250.0.0.10\tA\t127.0.0.3", lines);
        Assert.Contains("*.1.0.10\tA\t127.0.0.3", lines);
        Assert.Contains("3.2.0.10\tA\t127.0.0.3", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("4.2.0.10\t"));
        Assert.DoesNotContain(lines, l => l.StartsWith("1.1.8.10\t"));
        Assert.Contains("2.1.8.10\tA\t127.0.0.2", lines);
        Assert.Contains("\tTXT\t\"Listed 10.8.1.2\"", lines);
        Assert.Contains("*.9.10\tA\t127.0.0.2", lines);
    }

    [Fact]
    public void AclsAreNotPartOfTheDump()
    {
        using var dir = new ZoneDirectory();
        dir.Write("bl", "$TTL 60\n127.0.0.2\n");
        dir.Write("acl", "$TTL 99\n127.0.0.1 :5:x\n");
        var specs = new[] { ZoneSpec.Parse("bl.test:ip4set:bl"), ZoneSpec.Parse("bl.test:acl:acl"), ZoneSpec.Parse(":acl:acl") };
        var zones = ZoneSetLoader.Load(specs, new LoadOptions { WorkingDirectory = dir.Path }).ZoneSet;
        var output = new StringWriter();
        ZoneDumper.Dump(zones, output);
        string[] lines = output.ToString().Split('\n');
        Assert.Equal(["$ORIGIN\tbl.test.", "$TTL 60", "2.0.0.127\tA\t127.0.0.2"], lines.Where(l => l.Length > 0 && !l.StartsWith(';')));
    }
}
