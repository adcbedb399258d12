using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Zones.Tests;

public class ZoneSpecTests
{
    [Theory]
    [InlineData("bl.example:ip4set:a.txt", "bl.example", "ip4set", new[] { "a.txt" })]
    [InlineData("bl.example:ip4set:a,b,c", "bl.example", "ip4set", new[] { "a", "b", "c" })]
    [InlineData("bl.example:ip4set:a:b:c", "bl.example", "ip4set", new[] { "a", "b", "c" })]       // ':' splits files too
    [InlineData("bl.example:ip4set:a,,b::c,:", "bl.example", "ip4set", new[] { "a", "b", "c" })]   // empty items dropped (strtok)
    [InlineData("bl.example:ip4set:/abs/a.txt,rel/b.txt.gz", "bl.example", "ip4set", new[] { "/abs/a.txt", "rel/b.txt.gz" })]
    [InlineData("BL.Example.:dnset:d", "bl.example", "dnset", new[] { "d" })]                     // lowercased, trailing dot removed
    [InlineData(".bl..example.:dnset:d", "bl.example", "dnset", new[] { "d" })]                   // empty labels dropped (dns_ptodn)
    [InlineData("Bl-1_X*.example:generic:g", "bl-1_x*.example", "generic", new[] { "g" })]
    [InlineData(":acl:global", "", "acl", new[] { "global" })]
    [InlineData(".:acl:global", "", "acl", new[] { "global" })]
    [InlineData("z:ip4tset:f", "z", "ip4tset", new[] { "f" })]
    [InlineData("z:ip4trie:f", "z", "ip4trie", new[] { "f" })]
    [InlineData("z:ip6trie:f", "z", "ip6trie", new[] { "f" })]
    [InlineData("z:ip6tset:f", "z", "ip6tset", new[] { "f" })]
    [InlineData("z:combined:f", "z", "combined", new[] { "f" })]
    [InlineData("z:acl:f", "z", "acl", new[] { "f" })]
    public void Parses(string spec, string name, string type, string[] files)
    {
        Assert.True(ZoneSpec.TryParse(spec, out ZoneSpec? zone, out string? error), error);
        Assert.Equal(name, zone.Name);
        Assert.Equal(type, zone.Type);
        Assert.Equal(files, zone.Files);
        Assert.Equal(name.Length == 0, zone.IsGlobalAcl);
    }

    [Theory]
    [InlineData("bl", "invalid zone spec 'bl': expected zone:type:file[,file...]")]
    [InlineData("", "invalid zone spec ''")]
    [InlineData("bl:ip4set", "invalid zone spec 'bl:ip4set': expected zone:type:file[,file...] (no ':' after the dataset type)")]
    [InlineData("bl:ip4set:", "invalid zone 'bl:ip4set:': missing file names for ip4set")]
    [InlineData("bl:ip4set:,", "missing file names for ip4set")]
    [InlineData("bl:nosuch:f", "invalid zone 'bl:nosuch:f': unknown dataset type 'nosuch' (known: acl, combined, dnset, generic, ip4set, ip4trie, ip4tset, ip6trie, ip6tset, keys)")]
    [InlineData("bl:Ip4Set:f", "unknown dataset type 'Ip4Set'")]
    [InlineData("bl::f", "missing dataset type")]
    [InlineData(":ip4set:f", "invalid zone ':ip4set:f': missing zone name (only an acl dataset may have an empty name")]
    [InlineData("..:generic:f", "missing zone name")]
    [InlineData("a\\.b:dnset:f", "invalid zone 'a\\.b:dnset:f': invalid domain name 'a\\.b': backslash escapes are not supported")]
    public void Rejects(string spec, string expected)
    {
        Assert.False(ZoneSpec.TryParse(spec, out ZoneSpec? zone, out string? error));
        Assert.Null(zone);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Label_and_name_length_limits()
    {
        string label63 = new('a', 63);
        Assert.True(ZoneSpec.TryParse($"{label63}.example:dnset:f", out _, out _));
        Assert.False(ZoneSpec.TryParse($"{label63}a.example:dnset:f", out _, out string? error));
        Assert.Contains("longer than 63 bytes", error);

        // 4 labels of 63 = 4*64+1 = 257 wire bytes > 255.
        string tooLong = string.Join('.', Enumerable.Repeat(label63, 4));
        Assert.False(ZoneSpec.TryParse($"{tooLong}:dnset:f", out _, out error));
        Assert.Contains("longer than 255 bytes", error);

        string fits = string.Join('.', Enumerable.Repeat(label63, 3)) + "." + new string('b', 61); // 3*64 + 62 + 1 = 255
        Assert.True(ZoneSpec.TryParse($"{fits}:dnset:f", out _, out error), error);
    }

    [Theory]
    [InlineData("bl.example", "ip4set", new[] { "a:b", "c,d" }, "bl.example:ip4set:a:b,c,d")] // object form: files verbatim
    [InlineData("BL.example.", "dnset", new[] { "x" }, "bl.example:dnset:x")]
    [InlineData("", "acl", new[] { "x" }, ":acl:x")]
    public void Creates_from_fields(string name, string type, string[] files, string expected)
    {
        Assert.True(ZoneSpec.TryCreate(name, type, files, out ZoneSpec? zone, out string? error), error);
        Assert.Equal(expected, zone.ToString());
        Assert.Equal(files, zone.Files);
    }

    [Theory]
    [InlineData(null, "ip4set", new[] { "f" }, "missing zone name")]
    [InlineData("bl", null, new[] { "f" }, "missing dataset type")]
    [InlineData("bl", "ip4set", new string[0], "missing file names")]
    [InlineData("bl", "ip4set", new[] { "a", "" }, "empty file name")]
    public void Rejects_bad_fields(string? name, string? type, string[] files, string expected)
    {
        Assert.False(ZoneSpec.TryCreate(name, type, files, out _, out string? error));
        Assert.Contains(expected, error);
    }
}
