using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Tests;

/// <summary>generic loading and lookup; the expectations are what rbldnsd 1.0pre answered for the same lines.</summary>
public sealed class GenericTests : IDisposable
{
    private readonly DnsZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    private const string Records = """
        $SOA 3600 ns1.example.net hostmaster.example.net 1 600 300 86400 120
        @ A 127.0.0.10
        @ TXT apex text
        @ MX 10 mail.example.net
        @ 300 MX 20 Mail2.Example.NET.
        www A 127.0.0.9
        www 3000 A 127.0.0.8
        www IN A 127.0.0.7
        www 60 IN TXT "quoted text"
        www txt unquoted $ text "x"
        WWW.Upper a 127.0.0.6
        trail. A 127.0.0.5
        a.b.c A 127.0.0.4
        mx1 mx 0 .
        mx2 MX 65535 relative
        junka A 1.2.3.4 junk
        short A 127.1
        num A 5
        zero A 0.0.0.0
        sp TXT ""
        q TXT "a" "b"
        $TTL 900
        late A 127.0.0.3
        late2 0 A 127.0.0.3
        unit 5m A 127.0.0.3
        in2 IN 300 A 127.0.0.3
        aaaa AAAA ::1
        ns NS ns1.example.net
        cname CNAME www
        bad A
        bad2 A 256.1.1.1
        .dot A 1.1.1.1
        *.wild A 1.1.1.2
        esc\065 A 1.1.1.3
        @tail A 1.1.1.4
        """;

    [Theory]
    [InlineData("@", "2100 A 127.0.0.10 | 2100 MX 10 mail.example.net. | 300 MX 20 Mail2.Example.NET. | 2100 TXT \"apex text\"")]
    [InlineData("www", "2100 A 127.0.0.9 | 3000 A 127.0.0.8 | 2100 A 127.0.0.7 | 60 TXT \"quoted text\" | 2100 TXT \"unquoted $ text \"x\"\"")]
    [InlineData("www.upper", "2100 A 127.0.0.6")]
    [InlineData("trail", "2100 A 127.0.0.5")]      // names are relative even with a trailing dot
    [InlineData("a.b.c", "2100 A 127.0.0.4")]
    [InlineData("b.c", "NXDOMAIN")]                // no empty non-terminals
    [InlineData("mx1", "2100 MX 0 .")]
    [InlineData("mx2", "2100 MX 65535 relative.")] // MX targets are absolute
    [InlineData("junka", "2100 A 1.2.3.4")]
    [InlineData("short", "2100 A 127.0.0.1")]
    [InlineData("num", "2100 A 0.0.0.5")]
    [InlineData("zero", "2100 A 0.0.0.0")]
    [InlineData("sp", "2100 TXT \"\"")]
    [InlineData("q", "2100 TXT \"a\" \"b\"")]     // only the outer quotes go
    [InlineData("late", "900 A 127.0.0.3")]        // the $TTL in effect at the line
    [InlineData("late2", "900 A 127.0.0.3")]
    [InlineData("unit", "300 A 127.0.0.3")]
    [InlineData("in2", "NXDOMAIN")]                // IN before the TTL is not a record
    [InlineData("aaaa", "NXDOMAIN")]
    [InlineData("ns", "NXDOMAIN")]
    [InlineData("cname", "NXDOMAIN")]
    [InlineData("bad", "NXDOMAIN")]
    [InlineData("bad2", "NXDOMAIN")]
    [InlineData("dot", "900 A 1.1.1.1")]
    [InlineData("*.wild", "900 A 1.1.1.2")]        // "*" is an ordinary label
    [InlineData("x.wild", "NXDOMAIN")]
    [InlineData("esca", "900 A 1.1.1.3")]
    [InlineData("@tail", "900 A 1.1.1.4")]
    public void RecordForms(string name, string expected)
    {
        Assert.Equal(expected, DnsZoneText.Records(_zones.Generic(Records + "\n"), name));
    }

    [Fact]
    public void InvalidLinesWarn()
    {
        _zones.Generic(Records + "\n");
        Assert.Equal([26, 27, 28, 29, 30, 31], _zones.Context!.Warnings.Select(w => w.Line));
        Assert.All(_zones.Context.Warnings, w => Assert.Equal("invalid/unrecognized entry", w.Message));
    }

    [Theory]
    [InlineData("x MX 65536 a.b")]
    [InlineData("x MX 1x a.b")]
    [InlineData("x 300")]
    [InlineData("x 300 IN")]
    [InlineData("@")]
    [InlineData(". A 1.1.1.4")]
    [InlineData("x TXT")]
    [InlineData("x A")]
    [InlineData("x HINFO a b")]
    public void SkippedLines(string line)
    {
        var ds = _zones.Generic(line + "\ny A 1.1.1.2\n");
        Assert.Equal("invalid/unrecognized entry", Assert.Single(_zones.Context!.Warnings).Message);
        Assert.Equal("NXDOMAIN", DnsZoneText.Records(ds, "x"));
        Assert.Equal("NXDOMAIN", DnsZoneText.Records(ds, "@"));
        Assert.Equal("2100 A 1.1.1.2", DnsZoneText.Records(ds, "y"));
    }

    [Theory]
    [InlineData("x 12x A 1.1.1.1", "invalid TTL")]
    [InlineData("x 99999999999 A 1.1.1.1", "invalid TTL")]
    [InlineData("x MX 10", "invalid MX target")]
    [InlineData("x MX 10 a.b junk", "unexpected text after the MX target")]
    [InlineData("x MX 10 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b", "invalid MX target")]
    public void LinesThatAbortTheLoad(string line, string reason)
    {
        var (dataset, error) = _zones.Load(new GenericParser(), null, "y A 1.1.1.2\n" + line + "\n");
        Assert.Null(dataset);
        Assert.Equal(2, error!.Line);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void TtlsAreClamped()
    {
        var options = new LoadOptions { DefaultTtl = 500, MinTtl = 100, MaxTtl = 1000 };
        var ds = _zones.Generic("x 3000 A 1.1.1.1\ny 5 A 1.1.1.2\nz A 1.1.1.3\nw 0 A 1.1.1.4\n$TTL 20\nv A 1.1.1.5\n", options);
        Assert.Equal("1000 A 1.1.1.1", DnsZoneText.Records(ds, "x"));
        Assert.Equal("100 A 1.1.1.2", DnsZoneText.Records(ds, "y"));
        Assert.Equal("500 A 1.1.1.3", DnsZoneText.Records(ds, "z"));
        Assert.Equal("500 A 1.1.1.4", DnsZoneText.Records(ds, "w"));
        Assert.Equal("100 A 1.1.1.5", DnsZoneText.Records(ds, "v"));
    }

    [Fact]
    public void LookupByType()
    {
        var ds = _zones.Generic("r A 1.1.1.1\nr TXT t1\nr MX 5 m.\nr A 1.1.1.2\nr TXT t2\n");
        Assert.Equal("2100 A 1.1.1.1 | 2100 A 1.1.1.2", DnsZoneText.Records(ds, "r", GenericDataset.TypeA));
        Assert.Equal("2100 TXT \"t1\" | 2100 TXT \"t2\"", DnsZoneText.Records(ds, "r", GenericDataset.TypeTxt));
        Assert.Equal("2100 MX 5 m.", DnsZoneText.Records(ds, "r", GenericDataset.TypeMx));
        Assert.Equal("", DnsZoneText.Records(ds, "r", 28));   // exists, no AAAA: NODATA
        Assert.Equal("NXDOMAIN", DnsZoneText.Records(ds, "s", GenericDataset.TypeA));
        Assert.Equal(2, ds.AddressRecords(DnsZoneText.Wire("r")).Length);
        Assert.True(ds.ApexRecords.IsEmpty);
        Assert.Equal(5, ds.EntryCount);
        Assert.Equal(1, ds.NameCount);
    }

    [Fact]
    public void RdataIsWireReady()
    {
        var ds = _zones.Generic("@ MX 10 Mail.Example.\n@ TXT \"hi\"\n@ A 10.1.2.3\n");
        var records = ds.ApexRecords;
        Assert.Equal([10, 1, 2, 3], records[0].Rdata.ToArray());
        Assert.Equal([0, 10, 4, (byte)'M', (byte)'a', (byte)'i', (byte)'l', 7, (byte)'E', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 0], records[1].Rdata.ToArray());
        Assert.Equal([2, (byte)'h', (byte)'i'], records[2].Rdata.ToArray());
    }

    [Fact]
    public void LongTxtIsTruncatedTo255()
    {
        var ds = _zones.Generic("x TXT " + new string('y', 300) + "\n");
        Assert.True(ds.TryLookup(DnsZoneText.Wire("x"), GenericDataset.TypeTxt, out var records));
        Assert.Equal(256, records[0].Rdata.Length);
        Assert.Equal(255, records[0].Rdata[0]);
        Assert.Equal("TXT RR truncated to 255 bytes", Assert.Single(_zones.Context!.Warnings).Message);
    }

    [Fact]
    public void LookupDoesNotAllocate()
    {
        var ds = _zones.Generic("www A 1.1.1.1\nwww TXT x\n");
        byte[] wire = DnsZoneText.Wire("www");
        ds.TryLookup(wire, GenericDataset.TypeTxt, out _);
        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (int i = 0; i < 1000; i++) ds.TryLookup(wire, GenericDataset.TypeTxt, out _);
        }));
    }
}
