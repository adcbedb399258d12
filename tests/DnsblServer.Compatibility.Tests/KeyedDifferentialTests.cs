using ARSoft.Tools.Net.Dns;
using DnsblServer.TestSupport;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// A keyed zone with the key label stripped answers exactly what rbldnsd answers for the same data: rbldnsd serves
/// <c>dq.example</c> from the files, we serve the same files plus a keys dataset, and every query
/// <c>NAME.dq.example</c> to rbldnsd is asked of us as <c>NAME.KEY.dq.example</c> (key in mixed case); the replies
/// must be the same once the key label is taken out of the names (rcode, flags, every record, TTLs, sections).
/// </summary>
public sealed class KeyedDifferentialTests
{
    [Fact]
    public void AnswersEqualRbldnsdsWithTheKeyLabelStripped()
    {
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        dir.Write("bl", """
            $SOA 3600 ns1.example.net hostmaster.example.net 7 600 300 86400 120
            $NS 3600 ns1.example.net ns2.example.net
            $TTL 2100
            :127.0.0.2:Listed $ see http://x/?ip=$
            127.0.0.2
            10.0.0.9 :6:first
            192.168.1.0/24
            !192.168.1.5
            10.1.0.0/16 :3:wide $

            """);
        dir.Write("trie", "10.0.0.0/8 :2:eight\n10.1.2.128/25\n!10.1.2.200\n");
        dir.Write("dn", ":127.0.0.2:Domain $ is listed\nbad.example.com\n*.wild.example.com :3:wild $\n");
        dir.Write("gen", "www A 127.0.0.9\nwww TXT web\nmail IN MX 20 mx2.example.net.\n");
        dir.Write("keys", "K3y-Alpha\n");
        string[] data = ["dq.example:ip4set:bl", "dq.example:ip4trie:trie", "dq.example:dnset:dn", "dq.example:generic:gen"];
        using var rbldnsd = RbldnsdInstance.Start(dir.Path, data);
        using var ours = new OurServer(dir.Path, [.. data, "dq.example:keys:keys"]);

        string[] names =
        [
            "2.0.0.127", "3.0.0.127", "9.0.0.10", "1.2.1.10", "200.2.1.10", "129.2.1.10", "7.1.168.192", "5.1.168.192", "1.1.1.1",
            "bad.example.com", "x.wild.example.com", "a.b.wild.example.com", "good.example.com", "www", "mail", "nothere", "1.2.3.4.5",
        ];
        RecordType[] types = [RecordType.A, RecordType.Txt, RecordType.Any, RecordType.Mx, RecordType.Aaaa];
        var theirClient = rbldnsd.CreateClient();
        var ourClient = ours.CreateClient();
        int compared = 0;
        foreach (string name in names)
        {
            foreach (var type in types)
            {
                var theirs = theirClient.Summarize($"{name}.dq.example", type);
                var mine = ourClient.Summarize($"{name}.k3Y-aLpHa.dq.example", type);
                Assert.NotEqual(AnswerSummary.NoResponse, theirs.Text);
                string stripped = mine.Text.Replace(".k3y-alpha.dq.example", ".dq.example", StringComparison.OrdinalIgnoreCase);
                Assert.True(theirs.Text == stripped, $"{name} {type}:\n--- ours, key stripped ---\n{stripped}\n--- rbldnsd ---\n{theirs.Text}");
                compared++;
            }
        }
        Assert.Equal(names.Length * types.Length, compared);
        // and the key matters: without it we answer the unknown-key code where rbldnsd lists
        Assert.Contains("127.255.255.254", ourClient.Summarize("2.0.0.127.dq.example", RecordType.A).Text);
    }
}
