using System.Text;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Generic;
using DnsblServer.Zones.Files;
using Xunit.Abstractions;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// The generic engine against the real rbldnsd: random files of A, TXT and MX lines (TTLs in every form,
/// <c>IN</c>, <c>@</c>, <c>$TTL</c> changes, case, trailing dots, unsupported and malformed lines), then
/// every name (and its parents and children) asked for A, MX, TXT, AAAA and ANY: rcode and each RRset compared
/// byte for byte. rbldnsd answers an RRset with the smallest TTL of its records and without exact duplicates,
/// so our records are put the same way before comparing.
/// </summary>
public sealed class GenericEngineDifferentialTests(ITestOutputHelper output)
{
    private static readonly ushort[] QueryTypes = [1, 15, 16, 28, 255];

    [Theory]
    [InlineData(21, "")]
    [InlineData(22, "")]
    [InlineData(23, "500:100:1000")]
    [InlineData(24, "60:0:86400")]
    public void SameRecordsAsRbldnsd(int seed, string ttlOption)
    {
        RbldnsdInstance.EnsureAvailable();
        var options = LoadOptions.Default;
        string[] rbldnsdOptions = [];
        if (ttlOption.Length > 0)
        {
            uint[] t = ttlOption.Split(':').Select(uint.Parse).ToArray();
            options = new LoadOptions { DefaultTtl = t[0], MinTtl = t[1], MaxTtl = t[2] };
            rbldnsdOptions = ["-t", ttlOption];
        }
        var zone = new RandomGenericFile(seed);
        using var dir = new ZoneDirectory();
        string file = dir.Write("g", zone.File(400));

        var parser = new GenericParser();
        var context = new DatasetLoadContext(options);
        Assert.Null(ZoneFileReader.ReadFile(file, context, parser));
        var dataset = (GenericDataset)parser.Finish([file], context);

        using var rbldnsd = RbldnsdInstance.Start(dir.Path, [$"g.test:generic:{file}"], rbldnsdOptions);
        var client = rbldnsd.CreateClient();
        var mismatches = new List<string>();
        int compared = 0, withRecords = 0;
        foreach (var labels in zone.Probes())
        {
            foreach (ushort type in QueryTypes)
            {
                var reply = DnsDatasetProbe.Ask(client, labels, "g.test", type);
                Assert.True(reply.Authoritative || reply.Rcode != 0, "rbldnsd dropped records for size");
                string theirs = Describe(reply.Rcode, reply.Answers);
                string mine = Describe(dataset, labels, type);
                compared++;
                if (mine.Contains(" ttl ")) withRecords++;
                if (theirs != mine) mismatches.Add($"{DnsDatasetProbe.Text(labels)} type {type}: rbldnsd [{theirs}] ours [{mine}]");
            }
        }
        output.WriteLine($"{compared} name/type answers compared, {withRecords} with records; {dataset.EntryCount} records on {dataset.NameCount} names loaded");
        Assert.True(compared > 250 && withRecords > compared / 5, $"{withRecords} of {compared} answers hold records");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} differ:\n" + string.Join('\n', mismatches.Take(30)));
    }

    [Theory]
    [InlineData("x 12x A 1.1.1.1")]
    [InlineData("x MX 10")]
    [InlineData("x MX 10 a.b junk")]
    public void LinesThatAbortTheLoadAbortBoth(string line)
    {
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        string file = dir.Write("g", $"y A 1.1.1.2\n{line}\nz A 1.1.1.3\n");
        var error = ZoneFileReader.ReadFile(file, new DatasetLoadContext(LoadOptions.Default), new GenericParser());
        Assert.NotNull(error);
        Assert.Equal(2, error.Line);
        var failure = Assert.Throws<RbldnsdStartException>(() => RbldnsdInstance.Start(dir.Path, $"g.test:generic:{file}"));
        Assert.Contains("zone loading errors", failure.StandardError);
    }

    private static string Describe(int rcode, IEnumerable<DnsDatasetProbe.Answer> answers)
    {
        if (rcode != 0) return "rcode " + rcode;
        var sets = answers.Where(a => a.Type is 1 or 15 or 16)
            .GroupBy(a => a.Type)
            .OrderBy(g => g.Key)
            .Select(g => $"type {g.Key} ttl {g.Min(a => a.Ttl)}: " + string.Join(' ', g.Select(a => Convert.ToHexString(a.Rdata)).Distinct().Order(StringComparer.Ordinal)));
        return "rcode 0; " + string.Join("; ", sets);
    }

    private static string Describe(GenericDataset dataset, IReadOnlyList<string> labels, ushort type)
    {
        byte[] wire = DnsDatasetProbe.Wire(labels, lower: true);
        bool exists = dataset.TryLookup(wire, type, out var records);
        if (!exists && labels.Count > 0) return "rcode 3";
        var answers = new List<DnsDatasetProbe.Answer>();
        foreach (var r in records) answers.Add(new DnsDatasetProbe.Answer(r.Type, r.Ttl, r.Rdata.ToArray()));
        return Describe(0, answers);
    }
}

/// <summary>Random generic files over a small name space, and the names worth asking about.</summary>
internal sealed class RandomGenericFile(int seed)
{
    private static readonly string[][] Names =
        [
            [], ["www"], ["mail"], ["a", "b"], ["B", "c"], ["x-1"], ["deep", "a", "b"], ["Mx"], ["t$t"], ["sp ace"],
            ["ns1"], ["c"], ["a"], ["list", "a"], ["x", "list", "a"], ["Www", "mail"], ["1"], ["2", "0", "0", "127"],
            ["q\"q"], ["semi;c"], ["at@"], ["_srv", "_tcp"], ["long-label-with-many-characters-0123456789"], ["z", "y", "x", "w"],
        ];
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, string[]> _probes = [];

    private void Probe(string[] labels) => _probes.TryAdd(string.Join('\0', labels), labels);

    public IEnumerable<string[]> Probes() => _probes.Values;

    private static string Text(string[] labels) =>
        labels.Length == 0 ? "@" : string.Join('.', labels.Select(l => l.Replace(" ", "\\032")));

    private string Ttl() => _random.Next(8) switch
    {
        0 => " 0",
        1 => " 300",
        2 => " 5m",
        3 => " 2h",
        4 => " 1d",
        5 => " 50",
        _ => "",
    };

    private string Record(int i)
    {
        int n = _random.Next(1, 250);
        return _random.Next(3) switch
        {
            0 => "A " + _random.Next(4) switch
            {
                0 => $"10.0.0.{n}",
                1 => $"127.{n}",
                2 => $"{n}",
                _ => $"10.1.0.{n % 4} junk",
            },
            1 => "TXT " + _random.Next(7) switch
            {
                0 => $"text {n % 5}",
                1 => $"\"quoted {n % 5}\"",
                2 => "\"\"",
                3 => "has $ and $1 and \"inner\"",
                4 => new string('L', 240 + n % 40),
                5 => "\"half",
                _ => $"line {i}",
            },
            _ => $"MX {n % 3 * 10} " + _random.Next(4) switch
            {
                0 => $"mail{n % 3}.example.net.",
                1 => "Mail.Example.NET",
                2 => ".",
                _ => $"mx..{n % 2}.example",
            },
        };
    }

    public string File(int lines)
    {
        var sb = new StringBuilder("$SOA 3600 ns1.example.net hostmaster.example.net 1 600 300 86400 120\n$NS 3600 ns1.example.net\n");
        foreach (var name in Names)
        {
            Probe(name);
            Probe(["sub", .. name]);
            if (name.Length > 1) Probe(name[1..]);
        }
        Probe(["nothing"]);
        for (int i = 0; i < lines; i++)
        {
            if (_random.Next(30) == 0) sb.Append($"$TTL {_random.Next(1, 4000)}\n");
            string name = Text(Names[_random.Next(Names.Length)]);
            if (name != "@" && _random.Next(8) == 0) name = name.ToUpperInvariant();
            if (name != "@" && _random.Next(10) == 0) name += ".";
            if (_random.Next(25) == 0)
            {
                sb.Append(name).Append(' ').Append(new[] { "AAAA ::1", "NS ns1.example.net", "IN 300 A 1.1.1.1", "CNAME www", "A", "A 256.1.1.1", "MX 70000 a.", "TXT" }[_random.Next(8)]).Append('\n');
                continue;
            }
            string inClass = _random.Next(6) switch { 0 => " IN", 1 => " in", _ => "" };
            sb.Append(name).Append(Ttl()).Append(inClass).Append(' ').Append(Record(i)).Append('\n');
        }
        return sb.ToString();
    }
}
