using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DnsblServer.Benchmarks.Reporting;
using DnsblServer.Serving;
using DnsblServer.Serving.Resolving;
using DnsblServer.Zones.Files;
using DnsblServer.Zones.ZoneSets;

namespace DnsblServer.Benchmarks.Serving;

/// <summary>
/// The <c>keyed</c> mode: the real <see cref="QueryProcessor"/>, bytes in and bytes out, on the same ip4set zone
/// unkeyed and keyed (a keys dataset of 10,000 keys, every query carrying one unlimited key in mixed case), in
/// interleaved rounds so drifts in the machine's load hit both alike; prints ns per query (median of the rounds),
/// the ratio, and allocated bytes per query. No sockets: what the key costs the answer stage itself.
/// </summary>
internal static class KeyedQueryReport
{
    public static int Run(ModeArguments args)
    {
        int addresses = args.Count("addresses", 200_000), queries = args.Count("queries", 100_000), rounds = args.Count("rounds", 7);
        Console.WriteLine($"# keyed: {RunEnvironment.Describe()}; {addresses} addresses, {queries} queries (1/2 listed, A), {rounds} rounds");
        string dir = Directory.CreateTempSubdirectory("dnsbl-keyed-").FullName;
        try
        {
            var random = new Random(20240601);
            var listed = new uint[addresses];
            var zone = new StringBuilder("$SOA 2100 ns1.bl.example. hm.bl.example. 1 3600 600 604800 2100\n:127.0.0.2:Listed $\n");
            for (int i = 0; i < addresses; i++)
            {
                listed[i] = (uint)random.NextInt64(0x01000000, 0xDF000000);
                zone.Append(CultureInfo.InvariantCulture, $"{listed[i] >> 24}.{(listed[i] >> 16) & 255}.{(listed[i] >> 8) & 255}.{listed[i] & 255}\n");
            }
            File.WriteAllText(Path.Combine(dir, "bl"), zone.ToString());
            var keys = new StringBuilder("Bench-Key-0001\n");
            for (int i = 2; i <= 10_000; i++) keys.Append(CultureInfo.InvariantCulture, $"customer-{i:000000} 1000000\n");
            File.WriteAllText(Path.Combine(dir, "keys.txt"), keys.ToString());
            var options = new LoadOptions { WorkingDirectory = dir };
            var plain = new QueryProcessor(new ResolverOptions(), ZoneSetLoader.Load([ZoneSpec.Parse("bl.example:ip4set:bl")], options).ZoneSet);
            long fixedTicks = DateTime.UtcNow.Ticks;
            var keyed = new QueryProcessor(new ResolverOptions(),
                ZoneSetLoader.Load([ZoneSpec.Parse("bl.example:ip4set:bl"), ZoneSpec.Parse("bl.example:keys:keys.txt")], options).ZoneSet) { Keys = args.Has("--fixed-clock") ? new DnsblServer.Serving.Keys.KeyAccess { UtcTicks = () => fixedTicks } : new DnsblServer.Serving.Keys.KeyAccess() };

            var plainQueries = new byte[queries][];
            var keyedQueries = new byte[queries][];
            for (int i = 0; i < queries; i++)
            {
                uint ip = i % 2 == 0 ? listed[random.Next(addresses)] : (uint)random.NextInt64(0x01000000, 0xDF000000);
                string name = $"{ip & 255}.{(ip >> 8) & 255}.{(ip >> 16) & 255}.{ip >> 24}";
                plainQueries[i] = Query($"{name}.bl.example");
                keyedQueries[i] = Query($"{name}.bEnCh-KeY-0001.bl.example");
            }
            var response = new byte[4096];
            if (keyed.Answer(keyedQueries[0], response, TransportKind.Udp, out var outcome) == 0 || outcome is not (global::DnsblServer.Serving.Pipeline.QueryOutcome.Listed or global::DnsblServer.Serving.Pipeline.QueryOutcome.NxDomain))
            {
                Console.Error.WriteLine($"keyed query not answered as the zone: {outcome}");
                return 1;
            }
            for (int i = 0; i < 3; i++) // tiering
            {
                Walk(plain, plainQueries, response);
                Walk(keyed, keyedQueries, response);
            }
            Thread.Sleep(200);
            var plainNs = new List<double>();
            var keyedNs = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                // alternate which goes first
                if (round % 2 == 0)
                {
                    plainNs.Add(Time(plain, plainQueries, response));
                    keyedNs.Add(Time(keyed, keyedQueries, response));
                }
                else
                {
                    keyedNs.Add(Time(keyed, keyedQueries, response));
                    plainNs.Add(Time(plain, plainQueries, response));
                }
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            Walk(keyed, keyedQueries, response);
            double bytes = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / queries;

            var table = new TextTable("zone", "ns/query (median)", "min", "max", "bytes/query");
            table.Add("unkeyed", Median(plainNs).ToString("F1", CultureInfo.InvariantCulture), plainNs.Min().ToString("F1", CultureInfo.InvariantCulture), plainNs.Max().ToString("F1", CultureInfo.InvariantCulture), "-");
            table.Add("keyed", Median(keyedNs).ToString("F1", CultureInfo.InvariantCulture), keyedNs.Min().ToString("F1", CultureInfo.InvariantCulture), keyedNs.Max().ToString("F1", CultureInfo.InvariantCulture), bytes.ToString("0.###", CultureInfo.InvariantCulture));
            Console.Write(table);
            Console.WriteLine($"keyed / unkeyed: {Median(keyedNs) / Median(plainNs):F3}x");
            return bytes == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static double Time(QueryProcessor processor, byte[][] queries, byte[] response)
    {
        long started = Stopwatch.GetTimestamp();
        Walk(processor, queries, response);
        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / queries.Length;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Walk(QueryProcessor processor, byte[][] queries, byte[] response)
    {
        int bytes = 0;
        foreach (var query in queries) bytes += processor.Answer(query, response, TransportKind.Udp, out _);
        return bytes;
    }

    private static byte[] Query(string name)
    {
        var query = new List<byte> { 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (string label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(Encoding.ASCII.GetBytes(label));
        }
        query.AddRange([0, 0, 1, 0, 1]);
        return [.. query];
    }
}
