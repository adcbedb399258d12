using System.Text;
using DnsblServer.TestSupport;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// Random rbldnsd zone files packed into a small address space (10.0-3.x.x) so that entries
/// overlap: prefixes, CIDRs, ranges with short right sides, exclusions at every octet level,
/// duplicates, every value form, default-value lines mid-file, and <c>$</c> substitutions.
/// Also yields the addresses worth asking about: each entry's edges and a point inside.
/// </summary>
internal sealed class RandomZones(int seed)
{
    private readonly Random _random = new(seed);
    public readonly HashSet<uint> Probes = [];

    private uint RandomAddress() => (10u << 24) | ((uint)_random.Next(4) << 16) | ((uint)_random.Next(8) << 8) | (uint)_random.Next(256);

    private static string Text(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    private void Probe(ulong first, ulong last)
    {
        foreach (ulong a in new[] { first - 1, first, last, last + 1, first + (last - first) / 2 })
        {
            if (a <= uint.MaxValue) Probes.Add((uint)a);
        }
    }

    private string Value() => RandomValues.Next(_random);

    /// <summary>An ip4set (or ip4trie when <paramref name="trie"/>) file of <paramref name="lines"/> lines.</summary>
    public string Ip4File(int lines, bool trie)
    {
        var sb = new StringBuilder();
        if (_random.Next(2) == 0) sb.Append("$1 var-one\n");
        for (int i = 0; i < lines; i++)
        {
            uint a = RandomAddress();
            int kind = _random.Next(trie ? 5 : 7);
            bool exclude = _random.Next(6) == 0;
            string key;
            switch (kind)
            {
                case 0: key = Text(a); Probe(a, a); break;
                case 1:
                    {
                        int bits = 24 + _random.Next(9);
                        uint mask = bits == 32 ? uint.MaxValue : ~(uint.MaxValue >> bits);
                        uint net = a & mask;
                        key = $"{Text(net)}/{bits}";
                        Probe(net, net | ~mask);
                        break;
                    }
                case 2:
                    {
                        uint net = a & 0xffffff00;
                        key = $"{net >> 24}.{(net >> 16) & 255}.{(net >> 8) & 255}";
                        Probe(net, net | 255);
                        break;
                    }
                case 3:
                    {
                        uint net = a & 0xffff0000;
                        key = _random.Next(2) == 0 ? $"{Text(net)}/16" : $"{net >> 24}.{(net >> 16) & 255}";
                        Probe(net, net | 0xffff);
                        break;
                    }
                case 4:
                    {
                        int bits = 17 + _random.Next(7);
                        uint mask = ~(uint.MaxValue >> bits);
                        key = $"{Text(a & mask)}/{bits}";
                        Probe(a & mask, (a & mask) | ~mask);
                        break;
                    }
                case 5:
                    {
                        uint end = a + (uint)_random.Next(700);
                        key = $"{Text(a)}-{Text(end)}";
                        Probe(a, end);
                        break;
                    }
                default:
                    {
                        uint last = (a & 0xffffff00) | (uint)_random.Next((int)(a & 255), 256);
                        key = $"{Text(a)}-{last & 255}";
                        Probe(a, last);
                        break;
                    }
            }
            if (_random.Next(25) == 0) sb.Append($":{2 + _random.Next(6)}:default {i} $\n");
            sb.Append(exclude ? "!" + key : key + Value()).Append('\n');
            if (_random.Next(40) == 0) sb.Append(sb.ToString().Split('\n')[^2]).Append('\n'); // exact duplicate line
        }
        return sb.ToString();
    }

    /// <summary>An ip4tset file.</summary>
    public string Ip4TSetFile(int lines)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            if (i == lines / 3) sb.Append(":4:tset $\n");
            uint a = RandomAddress();
            Probe(a, a);
            sb.Append(Text(a)).Append('\n');
        }
        return sb.ToString();
    }
}
