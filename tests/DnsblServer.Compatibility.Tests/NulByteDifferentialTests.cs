using DnsblServer.Zones.Datasets.Ip4;
using System.Text;
using ARSoft.Tools.Net.Dns;
using DnsblServer.Addressing;
using DnsblServer.TestSupport;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Files;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// rbldnsd reads C strings: a line ends at its first NUL byte. Our TXT templates mark the address with a
/// 0 byte, so a NUL in a value once came out as the address ("nul203.0.113.21inside 203.0.113.21").
/// </summary>
public sealed class NulByteDifferentialTests
{
    [Theory]
    [InlineData("ip4set")]
    [InlineData("ip4trie")]
    public void LineEndsAtNulAsInRbldnsd(string type)
    {
        RbldnsdInstance.EnsureAvailable();
        using var dir = new ZoneDirectory();
        dir.Write("z", ":127.0.0.2:default $\n203.0.113.21 :127.0.0.3:nul\0inside $\n203.0.113.22\0 :127.0.0.4:ignored\n203.0.113.23 :127.0.0.5:after \0$\n");
        string file = dir.GetPath("z");
        var ours = DatasetLoader.Load(type, [file], LoadOptions.Default);
        Assert.True(ours.Succeeded, ours.Error?.ToString());
        var dataset = (Ip4Dataset)ours.Dataset!;

        using var rbldnsd = RbldnsdInstance.Start(dir.Path, $"bl.test:{type}:{file}");
        var client = rbldnsd.CreateClient();
        foreach (string ip in new[] { "203.0.113.21", "203.0.113.22", "203.0.113.23" })
        {
            int pos = 0;
            Ip4Text.ParsePrefix(Encoding.ASCII.GetBytes(ip), ref pos, out uint address);
            string name = $"{address & 255}.{(address >> 8) & 255}.{(address >> 16) & 255}.{address >> 24}.bl.test";
            var message = RawDnsClient.Parse(client.Query(name, RecordType.Any) ?? throw new TimeoutException(name));
            string theirs = string.Join(' ', message.AnswerRecords.OfType<ARecord>().Select(r => r.Address.ToString()))
                + " | " + string.Concat(message.AnswerRecords.OfType<TxtRecord>().SelectMany(r => r.TextParts));
            Assert.Equal(theirs, Describe(dataset, address, ip));
        }
    }

    private static string Describe(Ip4Dataset dataset, uint address, string ip)
    {
        var values = dataset.Lookup(address);
        if (values.IsEmpty) return "NXDOMAIN";
        var buffer = new byte[300];
        var v = values[0];
        int n = v.RenderTxt(Encoding.ASCII.GetBytes(ip), buffer);
        return Ip4Text.ToText(v.A) + " | " + Encoding.Latin1.GetString(buffer, 0, n);
    }
}
