using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>The query target's small zone set: every dataset type, a zone ACL, a global ACL and an exempt list.</summary>
internal static class FuzzZones
{
    private const string Soa = "$SOA 2100 ns1.bl.test. hostmaster.bl.test. 0 3600 600 604800 2100\n$NS 86400 ns1.bl.test ns2.bl.test\n";

    private static readonly (string File, string Text)[] Files =
    [
        ("ip4", Soa + ":127.0.0.2:Listed $ see http://bl.test/?ip=$\n127.0.0.2\n10.0.0.0/8 :3:net $\n192.0.2.0-127\n!10.1.0.0/16\n"),
        ("ip4t", Soa + "127.0.0.3\n127.0.0.4 :4:tset\n"),
        ("trie", Soa + "127.0.0.0/24 :5:trie $\n0/0 :6\n"),
        ("ip6", Soa + "::ffff:7f00:2\n2001:db8::/32 :3:v6 $\n!2001:db8:0:1::/64\n"),
        ("ip6t", Soa + "2001:db8:a:b :4:six\n"),
        ("dn", Soa + ":127.0.1.2:Domain $ listed\ntest\n*.phish.test :127.0.1.4:Phish $\n.malware.test\n!clean.malware.test\n"),
        ("gen", Soa + "@ A 127.0.0.10\n@ MX 10 mail.example.net\n@ TXT apex text\nwww A 127.0.0.9\nwww TXT \"quoted\"\nmx1 MX 0 .\n"),
        ("comb", Soa + "$DATASET ip4set @\n127.0.0.2\n$DATASET dnset dbl\nbad.example\n$DATASET generic gen\nwww A 127.0.0.9\n$DATASET ip6trie v6\n2001:db8::/32\n"),
        ("zacl", "192.0.2.0/24 :refuse\n2001:db8:53::/48 :5:from $\n"),
        ("gacl", "203.0.113.0/24 :ignore\n"),
        ("exempt", "127.0.0.4\n2001:db8:a::/48\n"),
    ];

    private static readonly string[] Specs =
    [
        "bl.test:ip4set:ip4", "bl.test:ip4tset:ip4t", "bl.test:ip6trie:ip6", "bl.test:acl:zacl",
        "trie.test:ip4trie:trie", "six.test:ip6tset:ip6t", "six.test:ip6trie:ip6", "dbl.test:dnset:dn",
        "gen.test:generic:gen", "comb.test:combined:comb", "dbl.test:generic:gen", ":acl:gacl",
    ];

    public static ZoneSet Load()
    {
        string folder = Path.Combine(Path.GetDirectoryName(ScratchFile.Path)!, "zones");
        Directory.CreateDirectory(folder);
        foreach (var (file, text) in Files) File.WriteAllText(Path.Combine(folder, file), text);
        var options = new LoadOptions { WorkingDirectory = folder };
        var result = ZoneSetLoader.Load([.. Specs.Select(ZoneSpec.Parse)], options, exempt: [new ExemptSpec("fuzz", ["exempt"], ["bl.test", "six.test"])]);
        if (!result.Succeeded) throw new InvalidOperationException("the fuzz zones do not load: " + string.Join("; ", result.Reports.Select(r => r.Error)));
        return result.ZoneSet;
    }
}
