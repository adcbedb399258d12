using System.Text;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets;
using DnsblServer.Zones.Datasets.Combined;
using DnsblServer.Zones.Datasets.Ip4;
using DnsblServer.Zones.Values;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Hosting.Dump;

/// <summary>
/// Writes zones as a BIND master file, like rbldnsd -d (dumpzone in rbldnsd_zones.c): the SOA and NS,
/// then each dataset's entries, a range becoming the octet-aligned names that cover it (wildcards for
/// whole /24, /16 and /8 blocks, as rbldnsd's dump_ip4range). Excluded addresses are simply absent:
/// the range trie has already cut them out of the listed ranges. A combined dataset gives one <c>$ORIGIN</c>
/// per subzone, as rbldnsd's; IPv6, dnset and generic data are not written yet (for zones or subzones).
/// </summary>
public static class ZoneDumper
{
    /// <summary>Dumps every zone of the set.</summary>
    public static void Dump(ZoneSet zones, TextWriter output)
    {
        output.Write($"; zone dump made {DateTimeOffset.UtcNow:R}\n; {Serving.Resolving.ResolverOptions.DefaultVersionText}\n");
        foreach (var zone in zones.Zones) Dump(zone, output);
    }

    /// <summary>Dumps one zone.</summary>
    public static void Dump(Zone zone, TextWriter output)
    {
        output.Write($"$ORIGIN\t{zone.Name}.\n");
        if (zone.Soa is { } soa)
        {
            output.Write($"@\t{soa.Ttl}\tSOA\t{soa.Origin}.\t{soa.Person}.\t({zone.Serial} {soa.Refresh} {soa.Retry} {soa.Expire} {soa.Minimum})\n");
        }
        if (zone.Ns is { } ns)
        {
            foreach (string name in ns.Names) output.Write($"\t{ns.Ttl}\tNS\t{name}.\n");
        }
        foreach (var dataset in zone.Datasets.Select(d => d.Dataset))
        {
            if (dataset is null || dataset.Kind is DatasetKind.Acl or DatasetKind.Keys) continue; // rbldnsd keeps ACLs out of the zone's data; keys are not data either
            output.Write($"$TTL {dataset.Info.Ttl}\n");
            if (dataset.Kind == DatasetKind.Ip4) DumpIp4((Ip4Dataset)dataset, output);
            else if (dataset.Kind == DatasetKind.Combined) DumpCombined(zone, (CombinedDataset)dataset, output);
        }
    }

    // rbldnsd's ds_combined_dump: each subzone (most specific first) under its own $ORIGIN, then its
    // datasets; no $TTL per subdataset (so the dump loses their TTLs, as rbldnsd's does).
    private static void DumpCombined(Zone zone, CombinedDataset combined, TextWriter output)
    {
        foreach (var subzone in combined.Subzones)
        {
            output.Write(subzone.Name.Length == 0 ? $"$ORIGIN {zone.Name}.\n" : $"$ORIGIN {subzone.Name}.{zone.Name}.\n");
            foreach (var ip4 in subzone.Datasets.OfType<Ip4Dataset>()) DumpIp4(ip4, output);
        }
    }

    private static void DumpIp4(Ip4Dataset dataset, TextWriter output)
    {
        foreach (var (first, last, set) in dataset.Map.Entries())
        {
            var values = dataset.Sets[set].ToArray();
            foreach (var (start, bits) in Blocks(first, last)) Write(start, bits, values, output);
        }
    }

    // The octet-aligned blocks covering [first, last]: /32 names at the edges, whole /24, /16 and /8 blocks inside.
    private static IEnumerable<(uint Start, int Bits)> Blocks(uint first, uint last)
    {
        ulong a = first;
        ulong end = (ulong)last + 1;
        while (a < end)
        {
            int bits = 32;
            foreach (int candidate in new[] { 8, 16, 24 })
            {
                ulong size = 1UL << (32 - candidate);
                if (a % size == 0 && a + size <= end)
                {
                    bits = candidate;
                    break;
                }
            }
            yield return ((uint)a, bits);
            a += 1UL << (32 - bits);
        }
    }

    private static void Write(uint start, int bits, DnsblValue[] values, TextWriter output)
    {
        string name = bits switch
        {
            32 => $"{start & 255}.{(start >> 8) & 255}.{(start >> 16) & 255}.{start >> 24}",
            24 => $"*.{(start >> 8) & 255}.{(start >> 16) & 255}.{start >> 24}",
            16 => $"*.{(start >> 16) & 255}.{start >> 24}",
            _ => $"*.{start >> 24}",
        };
        byte[] ip = Encoding.ASCII.GetBytes(Ip4Text.ToText(start));
        var text = new byte[TxtTemplate.MaxLength];
        foreach (var value in values)
        {
            output.Write($"{name}\tA\t{Ip4Text.ToText(value.A)}\n");
            int n = value.RenderTxt(ip, text);
            if (n > 0) output.Write($"\tTXT\t\"{Encoding.Latin1.GetString(text, 0, n).Replace("\"", "\\\"")}\"\n");
        }
    }
}
