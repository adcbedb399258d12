using System.Text;
using DnsblServer.TestSupport;

namespace DnsblServer.Compatibility.Tests;

/// <summary>
/// Random ip6trie and ip6tset files packed into a small part of 2001:db8::/32 (few distinct groups)
/// so that entries nest, touch and repeat: every key spelling rbldnsd reads (full, leading zeros,
/// upper case, <c>::</c> anywhere, group-list prefixes with and without <c>/len</c>, a value glued to an
/// eight-group address), exclusions, duplicates, host bits, broken lines, every value form, default
/// lines mid-file and <c>$</c> substitutions. The text is written here, independently of the parser
/// under test. Also yields the addresses worth asking about: each entry's edges and a point inside.
/// </summary>
internal sealed class Ip6RandomZones(int seed)
{
    private readonly Random _random = new(seed);
    public readonly HashSet<UInt128> Probes = [];

    private ushort RandomGroup(int index) => index switch
    {
        0 => _random.Next(12) == 0 ? (ushort)0 : (ushort)0x2001,
        1 => _random.Next(12) == 0 ? (ushort)0 : (ushort)0xdb8,
        2 => (ushort)_random.Next(4),
        3 => (ushort)_random.Next(16),
        _ => _random.Next(4) switch { 0 => 0, 1 => 1, 2 => 0xffff, _ => (ushort)_random.Next(0x10000) },
    };

    private UInt128 RandomAddress()
    {
        UInt128 a = 0;
        for (int g = 0; g < 8; g++)
        {
            ushort group = g >= 4 && _random.Next(3) == 0 ? (ushort)0 : RandomGroup(g);
            a = (a << 16) | group;
        }
        return a;
    }

    private static UInt128 Mask(int bits) => bits == 0 ? 0 : UInt128.MaxValue << (128 - bits);

    private static ushort Group(UInt128 a, int i) => (ushort)(a >> (112 - 16 * i));

    private string GroupText(ushort g)
    {
        string text = _random.Next(5) switch
        {
            0 => g.ToString("x4"),                         // leading zeros
            1 => g.ToString("X"),                          // upper case
            2 => "0" + g.ToString("x"),                    // a fifth digit when g > 0xfff
            _ => g.ToString("x"),
        };
        return text;
    }

    /// <summary>A full address in one of rbldnsd's spellings: eight groups, or "::" for a random zero run.</summary>
    private string FullText(UInt128 a)
    {
        var groups = Enumerable.Range(0, 8).Select(i => Group(a, i)).ToArray();
        var runs = new List<(int Start, int Length)>();
        for (int i = 0; i < 8; i++)
        {
            if (groups[i] != 0) continue;
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            runs.Add((i, j - i));
            i = j;
        }
        if (runs.Count == 0 || _random.Next(4) == 0) return string.Join(':', groups.Select(GroupText));
        var (start, length) = runs[_random.Next(runs.Count)];
        int from = start + _random.Next(length);          // any sub-run of at least one group
        int to = from + 1 + _random.Next(start + length - from);
        return string.Join(':', groups[..from].Select(GroupText)) + "::" + string.Join(':', groups[to..].Select(GroupText));
    }

    private void Probe(UInt128 first, UInt128 last)
    {
        Probes.Add(first);
        Probes.Add(last);
        Probes.Add(first + (last - first) / 2);
        if (first != 0) Probes.Add(first - 1);
        if (last != UInt128.MaxValue) Probes.Add(last + 1);
    }

    private string Value() => RandomValues.Next(_random, comment: true, substitutionSuffix: " [$]");

    /// <summary>An ip6trie file of <paramref name="lines"/> entries.</summary>
    public string TrieFile(int lines)
    {
        var sb = new StringBuilder();
        if (_random.Next(2) == 0) sb.Append("$1 var-one\n");
        if (_random.Next(8) == 0) sb.Append("::/0 :7:everything $\n");
        for (int i = 0; i < lines; i++)
        {
            UInt128 a = RandomAddress();
            int bits = _random.Next(7) switch
            {
                0 => 128,
                1 => 64,
                2 => 16 * _random.Next(2, 8),
                3 => _random.Next(100, 129),
                4 => _random.Next(33, 129),
                _ => _random.Next(56, 72),
            };
            bool hostBits = _random.Next(12) == 0;
            UInt128 net = a & Mask(bits);
            UInt128 written = hostBits ? a : net;
            string key;
            int groupsNeeded = (bits + 15) / 16;
            bool tailZero = groupsNeeded < 8 && (written & ~Mask(16 * groupsNeeded)) == 0 && groupsNeeded >= 1;
            switch (_random.Next(6))
            {
                case 0 when tailZero && bits == 16 * groupsNeeded && groupsNeeded >= 2:
                    // "2001:db8:1" = /48
                    key = string.Join(':', Enumerable.Range(0, groupsNeeded).Select(g => GroupText(Group(written, g))));
                    break;
                case 1 when tailZero:
                    // "2001:db8:c000/36", group list with /len
                    key = string.Join(':', Enumerable.Range(0, groupsNeeded).Select(g => GroupText(Group(written, g)))) + "/" + bits;
                    break;
                case 2 when bits == 128:
                    key = FullText(written);
                    break;
                default:
                    key = FullText(written) + "/" + (_random.Next(6) == 0 ? "0" : "") + bits;
                    break;
            }
            Probe(net, net | ~Mask(bits));
            if (_random.Next(25) == 0) sb.Append($":{2 + _random.Next(6)}:default {i} $\n");
            bool exclude = _random.Next(6) == 0;
            string value = Value();
            if (!exclude && bits == 128 && key.Count(c => c == ':') == 7 && !key.Contains("::") && value.StartsWith(" :", StringComparison.Ordinal) && _random.Next(3) == 0)
            {
                value = value[1..];                        // "1:2:3:4:5:6:7:8:3:txt"
            }
            sb.Append(exclude ? (_random.Next(2) == 0 ? "!" : "! ") + key : key + value).Append('\n');
            switch (_random.Next(30))
            {
                case 0: sb.Append(sb.ToString().Split('\n')[^2]).Append('\n'); break;     // exact duplicate line
                case 1: sb.Append(key).Append(" :6:dup\n"); break;                        // same prefix, other value
                case 2: sb.Append(FullText(a)).Append(":\n"); break;                      // broken
                case 3: sb.Append(FullText(net)).Append("/129\n"); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>An ip6tset file of <paramref name="lines"/> /64s plus exclusions.</summary>
    public string TSetFile(int lines)
    {
        var sb = new StringBuilder();
        var listed = new List<UInt128>();
        for (int i = 0; i < lines; i++)
        {
            switch (_random.Next(60))
            {
                case 0: sb.Append(":bad\n"); break;
                case 1: sb.Append($":{2 + _random.Next(6)}:tset value {i} $\n"); break;
                case 2: sb.Append("::1\n"); break;
                case 3: sb.Append(string.Join(':', Enumerable.Range(0, 3).Select(g => GroupText(RandomGroup(g))))).Append('\n'); break;
            }
            UInt128 a = RandomAddress() & Mask(64);
            a |= (UInt128)(ulong)_random.Next(64) << 64;    // more /64s than the trie's address space holds
            if (listed.Count > 0 && _random.Next(4) == 0) a = listed[_random.Next(listed.Count)] + ((UInt128)1 << 64); // the next /64
            listed.Add(a);
            Probe(a, a | ulong.MaxValue);
            string key = string.Join(':', Enumerable.Range(0, 4).Select(g => GroupText(Group(a, g))));
            string tail = _random.Next(5) switch { 0 => " :9:ignored", 1 => " # c", 2 => "\tjunk", _ => "" };
            sb.Append(key).Append(tail).Append('\n');
            if (_random.Next(5) == 0)
            {
                UInt128 target = listed[_random.Next(listed.Count)];
                UInt128 hole = _random.Next(3) switch { 0 => target, 1 => target | ulong.MaxValue, _ => target | (ulong)_random.NextInt64() };
                if (_random.Next(6) == 0) hole = RandomAddress(); // probably in no listed /64
                Probe(hole, hole);
                sb.Append(_random.Next(2) == 0 ? "!" : "! ").Append(FullText(hole)).Append('\n');
            }
        }
        return sb.ToString();
    }
}
