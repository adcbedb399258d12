using DnsblServer.TestSupport;
using System.Net;
using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets.Acl;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

/// <summary>
/// The acl dataset against what rbldnsd 1.0pre (Debian) did with the same lines, probed with dig from
/// 127.0.0.1 and ::1 (src/DnsblServer.Zones/Datasets/Acl/README.md). Answers read "Refuse", "None",
/// or "AlwaysListed 127.0.0.5 txt" with the TXT rendered for the client.
/// </summary>
public sealed class AclTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    private (AclDataset Dataset, DatasetLoadContext Context) Load(LoadOptions? options, params string[] texts)
    {
        var context = new DatasetLoadContext(options ?? LoadOptions.Default);
        var parser = new AclParser();
        var files = texts.Select((t, i) => _zones.Write($"acl{i}-{Guid.NewGuid():N}", t)).ToArray();
        foreach (string file in files) Assert.Null(ZoneFileReader.ReadFile(file, context, parser));
        return ((AclDataset)parser.Finish(files, context), context);
    }

    private AclDataset Load(string text) => Load(null, text.Replace("|", "\n") + "\n").Dataset;

    private static byte[] Bytes(string client) => IPAddress.Parse(client).GetAddressBytes();

    private static string Answer(AclDataset acl, string client)
    {
        byte[] address = Bytes(client);
        var action = acl.Lookup(address, out var listed);
        if (action != AclAction.AlwaysListed)
        {
            Assert.True(listed.IsEmpty);
            return action.ToString();
        }
        var value = Assert.Single(listed.ToArray());
        Span<byte> subst = stackalloc byte[AclDataset.MaxClientAddressLength];
        subst = subst[..AclDataset.FormatClientAddress(address, subst)];
        Span<byte> txt = stackalloc byte[300];
        int n = value.RenderTxt(subst, txt);
        return n == 0 ? $"AlwaysListed {Ip4Text.ToText(value.A)}" : $"AlwaysListed {Ip4Text.ToText(value.A)} {Encoding.Latin1.GetString(txt[..n])}";
    }

    // One ACL line, queried from 127.0.0.1. "|" separates lines.
    [Theory]
    [InlineData("127.0.0.1", "Ignore")]                       // no action: the initial default
    [InlineData("127.0.0.1 :ignore", "Ignore")]
    [InlineData("127.0.0.1 :blackhole", "Ignore")]
    [InlineData("127.0.0.1 :refuse", "Refuse")]
    [InlineData("127.0.0.1 :empty", "Empty")]
    [InlineData("127.0.0.1 :pass", "Pass")]
    [InlineData("127.0.0.1 :5:always $ here", "AlwaysListed 127.0.0.5 always 127.0.0.1 here")]
    [InlineData("127.0.0.1 :5:", "AlwaysListed 127.0.0.5")]
    [InlineData("127.0.0.1 :5", "AlwaysListed 127.0.0.5")]
    [InlineData("127.0.0.1 text only $", "AlwaysListed 127.0.0.2 text only 127.0.0.1")]
    [InlineData("127.0.0.1 refuse", "AlwaysListed 127.0.0.2 refuse")]  // no colon: a TXT, not a keyword
    [InlineData("127.0.0.1 =refuse", "Refuse")]
    [InlineData("127.0.0.1 :Refuse", "Refuse")]
    [InlineData("127.0.0.1 :ref", "Refuse")]                   // any prefix of a keyword
    [InlineData("127.0.0.1 :e", "Empty")]
    [InlineData("127.0.0.1 =b", "Ignore")]
    [InlineData("127.0.0.1 :p|0/0 :refuse", "Pass")]
    [InlineData("127.0.0.1 :emp:x", "Empty")]
    [InlineData("127.0.0.1 :empt y", "Empty")]
    [InlineData("127.0.0.1 :refuse:foo", "Refuse")]
    [InlineData("127.0.0.1 :refuse junk", "Refuse")]
    [InlineData("127.0.0.1 :refuse # c", "Refuse")]
    [InlineData("127.0.0.1:refuse", "Refuse")]
    [InlineData("127.0.0.1\t:refuse", "Refuse")]
    [InlineData("  127.0.0.1 :refuse  ", "Refuse")]
    [InlineData("127.0.0.1 :refusexyz", "None")]               // invalid A RR: line skipped
    [InlineData("127.0.0.1 =5:x", "None")]                     // invalid keyword
    [InlineData("127.0.0.1 =", "None")]
    [InlineData("127.0.0.1 :", "None")]
    [InlineData("127.0.0.1 # comment", "Ignore")]
    [InlineData("127.0.0.1;c :refuse", "Ignore")]
    [InlineData("127.0.0.1#c :refuse", "Ignore")]
    [InlineData("127.0.0.1 :refuse\r", "None")]                // CR ends no keyword: invalid A RR
    [InlineData("127.0.0.1\r", "None")]                        // invalid address
    [InlineData("127.0.0.1 :5:x\r", "AlwaysListed 127.0.0.5 x\r")]
    [InlineData("127.0.0.1 :5:=x", "AlwaysListed 127.0.0.5 x")]
    [InlineData("127.0.0.1 :5:x $$ $1 $", "AlwaysListed 127.0.0.5 x $ $1 127.0.0.1")]
    [InlineData("127.0.0 :refuse", "Refuse")]
    [InlineData("127.0 :refuse", "Refuse")]
    [InlineData("127 :refuse", "None")]
    [InlineData("127/8 :refuse", "Refuse")]
    [InlineData("127.0.0.0/8 :refuse", "Refuse")]
    [InlineData("127.0.0.1/32 :refuse", "Refuse")]
    [InlineData("127.0.0.1/8 :refuse", "None")]                // host bits
    [InlineData("127.0.0.0/33 :refuse", "None")]
    [InlineData("0/0 :refuse", "Refuse")]
    [InlineData("0.0.0.0/0 :refuse", "Refuse")]
    [InlineData("127.0.0.1-5 :refuse", "None")]
    [InlineData("127.0.0.0-127.0.0.255 :refuse", "None")]
    [InlineData("!127.0.0.1 :refuse", "None")]
    [InlineData("127.0.0.01 :refuse", "Refuse")]
    [InlineData("0127.0.0.1 :refuse", "Refuse")]
    [InlineData("127.0.0.1/ :refuse", "None")]
    [InlineData("127.0.0.1x :refuse", "None")]
    [InlineData("::ffff:127.0.0.1 :refuse", "None")]           // no dotted quad inside IPv6
    [InlineData("::/0 :refuse", "None")]                       // IPv6 entries never match an IPv4 client
    [InlineData("::1 :refuse", "None")]
    public void LineFormsFromIpv4Client(string acl, string expected)
    {
        Assert.Equal(expected, Answer(Load(acl), "127.0.0.1"));
    }

    // One ACL line, queried from ::1.
    [Theory]
    [InlineData("::1 :refuse", "Refuse")]
    [InlineData("::1/128 :refuse", "Refuse")]
    [InlineData("::/0 :refuse", "Refuse")]
    [InlineData("0::1 :refuse", "Refuse")]
    [InlineData("0:0:0:0:0:0:0:1 :refuse", "Refuse")]
    [InlineData("0:0:0:0:0:0:0:0001 :refuse", "Refuse")]
    [InlineData("0000:0000::1 :refuse", "Refuse")]
    [InlineData("::1:refuse", "None")]                          // "refuse" read as a 2nd group: invalid address
    [InlineData("::1 :5:v6 $", "AlwaysListed 127.0.0.5 v6 ::1")]
    [InlineData("::1/127 :refuse", "None")]                    // host bits
    [InlineData("::/127 :refuse", "Refuse")]
    [InlineData("::0/120 :refuse", "Refuse")]
    [InlineData("0:0:0:0 :refuse", "Refuse")]                  // 4 groups = /64
    [InlineData("0:0:0:0/64 :refuse", "Refuse")]
    [InlineData("0 :refuse", "None")]                          // a single group is refused
    [InlineData("0/0 :refuse", "None")]                        // IPv4 /0
    [InlineData("127.0.0.1 :refuse", "None")]
    [InlineData("::1/129 :refuse", "None")]
    [InlineData("::1/ :refuse", "None")]
    [InlineData("::1x :refuse", "None")]
    [InlineData(":: :refuse", "None")]                         // "::" is ::/128, not a default line
    [InlineData("::1;c :refuse", "Ignore")]
    [InlineData("fd00::/8 :refuse", "None")]
    [InlineData("0:0:0:0:0:0:0:1:2 :refuse", "AlwaysListed 127.0.0.2 refuse")] // 8 groups, then the value ":2 :refuse"
    [InlineData("0:0::1:: :refuse", "None")]                   // a second "::" starts the value: invalid A RR
    [InlineData("::1:2:3:4:5:6:7:8 :refuse", "None")]          // no room for the zeros
    [InlineData("::10000 :refuse", "None")]
    public void LineFormsFromIpv6Client(string acl, string expected)
    {
        Assert.Equal(expected, Answer(Load(acl), "::1"));
    }

    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d and only IPv6 entries see it (rbldnsd -b ::).
    [Theory]
    [InlineData("127.0.0.1 :refuse", "None")]
    [InlineData("::ffff:7f00:1 :refuse", "Refuse")]
    [InlineData("::ffff:0:0/96 :5:mapped $|::1 :6:v6 $", "AlwaysListed 127.0.0.5 mapped ::ffff:127.0.0.1")]
    [InlineData("0/0 :5:v4 $|::/0 :6:v6 $", "AlwaysListed 127.0.0.6 v6 ::ffff:127.0.0.1")]
    public void V4MappedClient(string acl, string expected)
    {
        Assert.Equal(expected, Answer(Load(acl), "::ffff:127.0.0.1"));
    }

    // ":..." and "=..." lines set the default action of the lines after them.
    [Theory]
    [InlineData(":refuse|127.0.0.1", "Refuse")]
    [InlineData("=empty|127.0.0.1", "Empty")]
    [InlineData("=EMPTY|127.0.0.1", "Empty")]
    [InlineData(":Refuse|127.0.0.1", "Refuse")]
    [InlineData("=5:x|127.0.0.1", "Ignore")]                    // invalid keyword: default unchanged
    [InlineData(":refuse|=bogus|127.0.0.1", "Refuse")]
    [InlineData("=|127.0.0.1", "Ignore")]
    [InlineData(":|127.0.0.1", "Ignore")]                       // invalid A RR
    [InlineData(":6:def $|127.0.0.1", "AlwaysListed 127.0.0.6 def 127.0.0.1")]
    [InlineData(":6:def $|:refuse|127.0.0.1", "Refuse")]
    [InlineData(":refuse|:pass|127.0.0.1", "Pass")]
    [InlineData(":refuse|127.0.0.1 :5:x", "AlwaysListed 127.0.0.5 x")]
    [InlineData(":6:def|:empty|127.0.0.2|127.0.0.1 :7:", "AlwaysListed 127.0.0.7")]
    [InlineData(":6:def|127.0.0.1 :7", "AlwaysListed 127.0.0.7 def")]  // ":A" keeps the default TXT
    [InlineData(":6|127.0.0.1 :7", "AlwaysListed 127.0.0.7")]
    [InlineData(":6:def|:8|127.0.0.1", "AlwaysListed 127.0.0.8 def")]  // unlike ip4set, a ":A" default line keeps it too
    [InlineData(":6:def|:refuse|127.0.0.1 :7", "AlwaysListed 127.0.0.7 def")] // rbldnsd crashes here (README)
    [InlineData(":refuse|127.0.0.1 text", "AlwaysListed 127.0.0.2 text")]    // rbldnsd crashes here too
    [InlineData(":empty|127.0.0.1 :5:a|127.0.0.0/8", "AlwaysListed 127.0.0.5 a")]
    [InlineData("::1 :refuse|127.0.0.1", "Ignore")]             // "::1" is an address, not a default line
    public void DefaultLines(string acl, string expected)
    {
        Assert.Equal(expected, Answer(Load(acl), "127.0.0.1"));
    }

    [Fact]
    public void DefaultActionStartsOverInEachFile()
    {
        var (acl, _) = Load(null, ":refuse\n127.0.0.2\n", "127.0.0.1\n", ":6:two\n", "127.0.0.3 :7\n");
        Assert.Equal("Refuse", Answer(acl, "127.0.0.2"));
        Assert.Equal("Ignore", Answer(acl, "127.0.0.1"));
        Assert.Equal("AlwaysListed 127.0.0.7", Answer(acl, "127.0.0.3")); // default value reset to 127.0.0.2, no TXT
    }

    // Longest prefix wins, whatever the line order.
    [Theory]
    [InlineData("127.0.0.0/8 :refuse|127.0.0.1 :pass", "127.0.0.1", "Pass")]
    [InlineData("127.0.0.0/8 :refuse|127.0.0.1 :pass", "127.0.0.3", "Refuse")]
    [InlineData("127.0.0.1 :pass|127.0.0.0/8 :refuse", "127.0.0.1", "Pass")]
    [InlineData("127.0.0.0/24 :empty|127.0.0.0/8 :refuse|0/0 :ignore", "127.0.0.1", "Empty")]
    [InlineData("127.0.0.0/24 :empty|127.0.0.0/8 :refuse|0/0 :ignore", "127.1.0.1", "Refuse")]
    [InlineData("127.0.0.0/24 :empty|127.0.0.0/8 :refuse|0/0 :ignore", "10.0.0.1", "Ignore")]
    [InlineData("127.0.0.0/8 :5:wide|127.0.0.0/30 :6:narrow", "127.0.0.1", "AlwaysListed 127.0.0.6 narrow")]
    [InlineData("127.0.0.0/8 :5:wide|127.0.0.0/30 :6:narrow", "127.0.0.9", "AlwaysListed 127.0.0.5 wide")]
    [InlineData("127.0.0.0/8 :5:wide|127.0.0.0/30", "127.0.0.1", "Ignore")]
    [InlineData("127.0.0.0/8 :5:wide|127.0.0.0/30", "128.0.0.1", "None")]
    [InlineData("::/0 :refuse|::1 :pass", "::1", "Pass")]
    [InlineData("::/0 :refuse|::1 :pass", "::2", "Refuse")]
    [InlineData("::/64 :empty|::/0 :refuse|::1/128 :5:one $", "::1", "AlwaysListed 127.0.0.5 one ::1")]
    [InlineData("::/64 :empty|::/0 :refuse|::1/128 :5:one $", "::2", "Empty")]
    [InlineData("::/64 :empty|::/0 :refuse|::1/128 :5:one $", "2001:db8::1", "Refuse")]
    [InlineData("2001:db8::/32 :refuse|2001:db8:1::/48 :pass|2001:db8:1:2::/64 :empty", "2001:db8::9", "Refuse")]
    [InlineData("2001:db8::/32 :refuse|2001:db8:1::/48 :pass|2001:db8:1:2::/64 :empty", "2001:db8:1::9", "Pass")]
    [InlineData("2001:db8::/32 :refuse|2001:db8:1::/48 :pass|2001:db8:1:2::/64 :empty", "2001:db8:1:2::9", "Empty")]
    [InlineData("2001:db8::/32 :refuse|2001:db8:1::/48 :pass|2001:db8:1:2::/64 :empty", "2001:db8:1:3::9", "Pass")]
    [InlineData("2001:db8::/32 :refuse|2001:db8:1::/48 :pass|2001:db8:1:2::/64 :empty", "2001:db9::1", "None")]
    [InlineData("ffff::/16 :refuse|ffff:ffff::/32 :empty", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Empty")]
    [InlineData("ffff::/16 :refuse|ffff:ffff::/32 :empty", "ffff:fffe::1", "Refuse")]
    public void LongestPrefixWins(string acl, string client, string expected)
    {
        Assert.Equal(expected, Answer(Load(acl), client));
    }

    // The first of duplicate prefixes is kept, with rbldnsd's warning on the later line.
    [Theory]
    [InlineData("127.0.0.1 :refuse|127.0.0.1 :empty", "127.0.0.1", "Refuse", "duplicated entry for 127.0.0.1/32")]
    [InlineData("127.0.0.0/8 :refuse|127.0.0.0/8 :empty", "127.0.0.1", "Refuse", "duplicated entry for 127.0.0.0/8")]
    [InlineData("::1 :refuse|::1 :empty", "::1", "Refuse", "duplicated entry for ::1/128")]
    [InlineData("2001:db8:0:0:1::/80 :pass|2001:db8:0:0:1::/80 :refuse", "2001:db8:0:0:1::5", "Pass", "duplicated entry for 2001:db8:0:0:1::/80")]
    [InlineData("::ffff:0:0/96|::ffff:0:0/96 :refuse", "::ffff:10.0.0.1", "Ignore", "duplicated entry for ::ffff:0:0/96")]
    public void DuplicatesKeepTheFirst(string acl, string client, string expected, string warning)
    {
        var (dataset, context) = Load(null, acl.Replace("|", "\n") + "\n");
        Assert.Equal(expected, Answer(dataset, client));
        var warned = Assert.Single(context.Warnings);
        Assert.Equal(2, warned.Line);
        Assert.Equal(warning, warned.Message);
    }

    [Theory]
    [InlineData("127 :refuse", "invalid address")]
    [InlineData("::1x", "invalid address")]
    [InlineData("127.0.0.1/8", "invalid range (non-zero host part)")]
    [InlineData("::1/127", "invalid range (non-zero host part)")]
    [InlineData("127.0.0.1 =5:x", "invalid keyword")]
    [InlineData("=5:x", "invalid keyword")]
    [InlineData("127.0.0.1 :refusexyz", "invalid A RR")]
    [InlineData("127.0.0.1 :2 junk", "unrecognized value for an entry")]
    public void BadLinesWarn(string acl, string warning)
    {
        var (_, context) = Load(null, acl + "\n");
        Assert.Equal(warning, Assert.Single(context.Warnings).Message);
    }

    [Fact]
    public void SpecialsSoaAndNsDroppedTtlVariablesTemplateAndMaxRangeApply()
    {
        var (acl, context) = Load(null, "$SOA 3600 a.b c.d 1 2 3 4 5\n$NS 3600 ns9.x\n$TTL 60\n127.0.0.1 :5:t $\n");
        Assert.Null(acl.Info.Soa);
        Assert.Null(acl.Info.Ns);
        Assert.Equal(60u, acl.Info.Ttl); // the TTL of always-listed answers
        Assert.Equal("acl", acl.Info.Type);
        Assert.Contains(context.Warnings, w => w.Message.Contains("$SOA and $NS are not allowed"));
        Assert.Equal("AlwaysListed 127.0.0.5 t 127.0.0.1", Answer(acl, "127.0.0.1"));

        Assert.Equal("AlwaysListed 127.0.0.5 [t $1 $$] 127.0.0.1", Answer(Load("$1 one|$= [$=] $|127.0.0.1 :5:t $1 $$"), "127.0.0.1"));
        Assert.Equal("AlwaysListed 127.0.0.5 v=one", Answer(Load("127.0.0.1 :5:v=$1|$1 one"), "127.0.0.1"));

        var (limited, limitedContext) = Load(null, "$MAXRANGE4 /24\n127.0.0.0/8 :refuse\n127.0.0.0/24 :5:in\n::/0 :empty\n");
        Assert.Equal("AlwaysListed 127.0.0.5 in", Answer(limited, "127.0.0.1"));
        Assert.Equal("None", Answer(limited, "127.1.0.1"));
        Assert.Equal("Empty", Answer(limited, "::1")); // $MAXRANGE4 is IPv4 only
        Assert.Equal("too large range (16777216) ignored (256 max)", Assert.Single(limitedContext.Warnings).Message);
    }

    [Fact]
    public void AcceptHostBitsMasksBothFamilies()
    {
        var (acl, context) = Load(new LoadOptions { AcceptHostBits = true }, "127.0.0.1/8 :refuse\n::1/127 :empty\n");
        Assert.Empty(context.Warnings);
        Assert.Equal("Refuse", Answer(acl, "127.9.9.9"));
        Assert.Equal("Empty", Answer(acl, "::"));
    }

    [Fact]
    public void OtherAddressLengthsAreNotListedAndLookupDoesNotAllocate()
    {
        var acl = Load("0/0 :5:all $|::/0 :refuse");
        Assert.Equal(AclAction.None, acl.Lookup([1, 2, 3], out var listed));
        Assert.True(listed.IsEmpty);
        Assert.Equal(AclAction.None, acl.Lookup([], out _));

        byte[] v4 = Bytes("10.1.2.3"), v6 = Bytes("2001:db8::1");
        var text = new byte[AclDataset.MaxClientAddressLength];
        acl.Lookup(v4, out _);
        int total = 0;
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            total = 0;
            for (int i = 0; i < 1000; i++)
            {
                total += (int)acl.Lookup(v4, out var value) + value.Length + (int)acl.Lookup(v6, out _);
                total += AclDataset.FormatClientAddress(v6, text) + AclDataset.FormatClientAddress(v4, text);
            }
        }));
        Assert.Equal(1000 * ((int)AclAction.AlwaysListed + 1 + (int)AclAction.Refuse + 11 + 8), total);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::1", "::1")]
    [InlineData("::", "::")]
    [InlineData("::ffff:7f00:1", "::ffff:127.0.0.1")]
    [InlineData("::7f00:1", "::127.0.0.1")]
    [InlineData("::1:2", "::0.1.0.2")]
    [InlineData("::ffff:0:1", "::ffff:0.0.0.1")]
    [InlineData("::2", "::2")]
    [InlineData("1::", "1::")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("fe80::1", "fe80::1")]
    [InlineData("0:0:0:0:0:1:0:0", "::1:0:0")]
    [InlineData("::ffff:1:2:3", "::ffff:1:2:3")]
    [InlineData("1:0:0:2:0:0:0:3", "1:0:0:2::3")]
    [InlineData("1:0:0:2:0:0:3:4", "1::2:0:0:3:4")]
    [InlineData("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7")]
    [InlineData("0:0:1:0:0:0:0:0", "0:0:1::")]
    [InlineData("ABCD:EF01::", "abcd:ef01::")]
    public void ClientAddressTextMatchesInetNtop(string client, string expected)
    {
        Span<byte> text = stackalloc byte[AclDataset.MaxClientAddressLength];
        int n = AclDataset.FormatClientAddress(Bytes(client), text);
        Assert.Equal(expected, Encoding.ASCII.GetString(text[..n]));
    }

    // What rbldnsd answered with a global and a zone ACL both matching the client.
    [Theory]
    [InlineData(AclAction.Refuse, AclAction.Ignore, AclAction.Ignore)]
    [InlineData(AclAction.Empty, AclAction.Refuse, AclAction.Refuse)]
    [InlineData(AclAction.Refuse, AclAction.Empty, AclAction.Refuse)]
    [InlineData(AclAction.AlwaysListed, AclAction.Empty, AclAction.Empty)]
    [InlineData(AclAction.Empty, AclAction.AlwaysListed, AclAction.Empty)]
    [InlineData(AclAction.Pass, AclAction.Refuse, AclAction.Refuse)]
    [InlineData(AclAction.Pass, AclAction.AlwaysListed, AclAction.AlwaysListed)]
    [InlineData(AclAction.AlwaysListed, AclAction.AlwaysListed, AclAction.AlwaysListed)]
    [InlineData(AclAction.AlwaysListed, AclAction.Pass, AclAction.AlwaysListed)]
    [InlineData(AclAction.None, AclAction.Pass, AclAction.None)]
    [InlineData(AclAction.Pass, AclAction.None, AclAction.None)]
    [InlineData(AclAction.None, AclAction.None, AclAction.None)]
    public void GlobalAndZoneActionsCombine(AclAction global, AclAction zone, AclAction expected)
    {
        Assert.Equal(expected, AclActions.Combine(global, zone));
    }

    [Fact]
    public void RandomPrefixesMatchABruteForceLongestPrefix()
    {
        // Nested and overlapping prefixes in 10.0.0.0/8 and 2001:db8::/32; clients are drawn near the
        // entries (an entry's network with random host bits) so long prefixes get hit too.
        var random = new Random(20240601);
        string[] actions = [":ignore", ":refuse", ":empty", ":pass", ":5:a", ":6:b $"];
        var lines = new List<string>();
        var v4 = new List<(uint Net, int Bits, string Action)>();
        var v6 = new List<(UInt128 Net, int Bits, string Action)>();
        UInt128 Random6() => ((UInt128)0x2001_0db8u << 96) | ((UInt128)(uint)random.Next() << 64) | ((UInt128)(uint)random.Next() << 32) | (uint)random.Next();
        for (int i = 0; i < 400; i++)
        {
            string action = actions[random.Next(actions.Length)];
            if (random.Next(2) == 0)
            {
                int bits = random.Next(9, 33);
                uint net = (0x0a000000u | (uint)random.Next(0, 1 << 24)) & Ip4Text.Mask(bits);
                lines.Add($"{Ip4Text.ToText(net)}/{bits} {action}");
                if (!v4.Exists(e => e.Net == net && e.Bits == bits)) v4.Add((net, bits, action));
            }
            else
            {
                int bits = random.Next(33, 129);
                UInt128 net = Random6() & Ip6Text.Mask(bits);
                lines.Add($"{Ip6Text.ToText(net)}/{bits} {action}");
                if (!v6.Exists(e => e.Net == net && e.Bits == bits)) v6.Add((net, bits, action));
            }
        }
        var (acl, _) = Load(null, string.Join("\n", lines) + "\n");
        static string Expected(string? action, string client) => action switch
        {
            null => "None", ":ignore" => "Ignore", ":refuse" => "Refuse", ":empty" => "Empty", ":pass" => "Pass",
            ":5:a" => "AlwaysListed 127.0.0.5 a", _ => "AlwaysListed 127.0.0.6 b " + client,
        };
        Span<byte> bytes = stackalloc byte[16];
        var seen = new HashSet<string>();
        for (int i = 0; i < 4000; i++)
        {
            var near = v4[random.Next(v4.Count)];
            uint a = random.Next(4) == 0 ? (uint)random.Next() : near.Net | ((uint)random.Next() & ~Ip4Text.Mask(near.Bits + random.Next(0, 4)));
            var best = v4.Where(e => (a & Ip4Text.Mask(e.Bits)) == e.Net).OrderByDescending(e => e.Bits).Select(e => e.Action).FirstOrDefault();
            string ip = Ip4Text.ToText(a);
            Assert.Equal(Expected(best, ip), Answer(acl, ip));
            seen.Add("4" + best);

            var near6 = v6[random.Next(v6.Count)];
            UInt128 b = random.Next(4) == 0 ? Random6() ^ ((UInt128)(uint)random.Next(0, 4) << 96) : near6.Net | (Random6() & ~Ip6Text.Mask(near6.Bits + random.Next(0, 4)));
            var best6 = v6.Where(e => (b & Ip6Text.Mask(e.Bits)) == e.Net).OrderByDescending(e => e.Bits).Select(e => e.Action).FirstOrDefault();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, b);
            string ip6 = new IPAddress(bytes).ToString();
            Assert.Equal(Expected(best6, ip6), Answer(acl, ip6));
            seen.Add("6" + best6);
        }
        Assert.Equal(14, seen.Count); // every action, and no entry, was the answer for both families
    }
}
