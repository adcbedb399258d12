namespace DnsblServer.Zones.Tests;

/// <summary>
/// Single addresses in any order through the in-place sort and the per-entry values kept only once two differ:
/// every address of a shuffled file answers what a plain model of the file says (ip4set: all values of an address,
/// an exclusion wins; ip4tset: the dataset's one value).
/// </summary>
public sealed class Ip4SinglesTests : IDisposable
{
    private readonly ZoneText _zones = new();

    public void Dispose() => _zones.Dispose();

    // "u" uniform (one default value), "late" a second value only near the end (the value array starts mid-load),
    // "mixed" five values and some exclusions throughout
    [Theory]
    [InlineData("u", 1)]
    [InlineData("late", 2)]
    [InlineData("mixed", 3)]
    public void ShuffledSinglesAnswerAsTheFileSays(string kind, int seed)
    {
        var random = new Random(seed);
        var text = new System.Text.StringBuilder(":2:dflt\n");
        var model = new Dictionary<uint, List<int>>();
        var firstSeen = new List<int> { 2 }; // value ids follow first appearance in the file, and so does the answer
        var excluded = new HashSet<uint>();
        const int Lines = 20_000;
        for (int i = 0; i < Lines; i++)
        {
            // a few /16 buckets hold most addresses (sorted runs inside a bucket), the rest anywhere; repeats on purpose
            uint address = random.Next(3) == 0 ? (uint)random.NextInt64(0x01000000, 0xdf000000) : 0x0a000000u | (uint)random.Next(4) << 16 | (uint)random.Next(3000);
            int value = 2;
            string line = Ip(address);
            if (kind == "late" && i > Lines - 50 && random.Next(2) == 0) value = 7;
            if (kind == "mixed") value = 2 + random.Next(5);
            if (kind == "mixed" && random.Next(40) == 0)
            {
                text.Append('!').Append(line).Append('\n');
                excluded.Add(address);
                continue;
            }
            text.Append(line).Append(value == 2 ? "" : $" :{value}:v{value}").Append('\n');
            if (!firstSeen.Contains(value)) firstSeen.Add(value);
            if (!model.TryGetValue(address, out var values)) model[address] = values = [];
            if (!values.Contains(value)) values.Add(value);
        }
        var ds = _zones.Load("ip4set", text.ToString());
        foreach (var (address, values) in model)
        {
            string expected = excluded.Contains(address) ? "-" : string.Join(" | ", values.OrderBy(firstSeen.IndexOf).Select(v => v == 2 ? "127.0.0.2 dflt" : $"127.0.0.{v} v{v}"));
            Assert.Equal(expected, ZoneText.Answer(ds, Ip(address)));
        }
        for (int i = 0; i < 2000; i++)
        {
            uint probe = (uint)random.NextInt64(0, 0x100000000);
            if (!model.ContainsKey(probe)) Assert.Equal("-", ZoneText.Answer(ds, Ip(probe)));
        }
    }

    // Two ranges overlapping on one address leave a one-address segment with both values: the map stores it as a
    // single. Hundreds of those around three listed singles make the build write more singles than the file listed
    // into the sort's scratch it writes the map's singles to, which must then grow.
    [Fact]
    public void SinglesMadeByRangesOutnumberingTheListedOnesAllAnswer()
    {
        var text = new System.Text.StringBuilder();
        var expected = new Dictionary<string, string>();
        for (int k = 0; k < 300; k++)
        {
            string net = $"10.{k / 200}.{k % 200}";
            text.Append($"{net}.0-{net}.9 :2:a\n{net}.9-{net}.20 :3:b\n");
            expected[$"{net}.9"] = "127.0.0.2 a | 127.0.0.3 b";
            expected[$"{net}.5"] = "127.0.0.2 a";
            expected[$"{net}.15"] = "127.0.0.3 b";
            expected[$"{net}.21"] = "-";
        }
        foreach (string single in new[] { "10.0.0.50", "10.0.150.77", "10.1.99.200" })
        {
            text.Append(single).Append(" :4:s\n");
            expected[single] = "127.0.0.4 s";
        }
        var ds = _zones.Load("ip4set", text.ToString());
        foreach (var (ip, answer) in expected) Assert.Equal(answer, ZoneText.Answer(ds, ip));
    }

    [Fact]
    public void Ip4tsetGivesEveryShuffledAddressTheDatasetValue()
    {
        var random = new Random(4);
        var addresses = Enumerable.Range(0, 5000).Select(_ => (uint)random.NextInt64(0x01000000, 0xdf000000)).ToList();
        var ds = _zones.Load("ip4tset", ":5:tset\n" + string.Join('\n', addresses.Select(Ip)) + "\n");
        foreach (uint address in addresses) Assert.Equal("127.0.0.5 tset", ZoneText.Answer(ds, Ip(address)));
        Assert.Equal("-", ZoneText.Answer(ds, "223.255.255.255"));
    }

    private static string Ip(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";
}
