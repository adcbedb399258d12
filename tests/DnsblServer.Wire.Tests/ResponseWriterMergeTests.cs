using System.Buffers.Binary;
using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

/// <summary>rbldnsd's checkrr_present: duplicates dropped, one TTL per type.</summary>
public class ResponseWriterMergeTests
{
    // A private-use type (RFC 6895): ARSoft decodes it as raw RDATA.
    private const ushort Private = 65280;

    public record Add(ushort Type, uint Data, uint Ttl, bool Suffix = false);

    public static TheoryData<string, Add[], string> Cases => new()
    {
        // because, records added in order, expected ANSWER as "type/data/ttl" list
        { "exact duplicate", [new(1, 2, 100), new(1, 2, 100)], "1/2/100" },
        { "smaller TTL later lowers earlier", [new(1, 2, 100), new(1, 3, 50)], "1/2/50 1/3/50" },
        { "larger TTL later takes the earlier one", [new(1, 2, 50), new(1, 3, 100)], "1/2/50 1/3/50" },
        { "duplicate with smaller TTL lowers and is dropped", [new(1, 2, 100), new(1, 2, 50)], "1/2/50" },
        { "duplicate of the second record", [new(1, 2, 100), new(1, 3, 100), new(1, 3, 100)], "1/2/100 1/3/100" },
        { "other types keep their TTL", [new(1, 2, 100), new(Private, 2, 300), new(1, 3, 50)], "1/2/50 65280/2/300 1/3/50" },
        { "same data, other type is not a duplicate", [new(1, 2, 100), new(Private, 2, 100)], "1/2/100 65280/2/100" },
        { "TTL 0 is never added", [new(1, 2, 0)], "" },
        { "TTL 0 later lowers the set to 0 and is dropped", [new(1, 2, 100), new(1, 3, 0)], "1/2/0" },
        { "other owner is another RRset", [new(1, 2, 100), new(1, 2, 50, Suffix: true)], "1/2/100 1/2/50" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Merges_like_checkrr_present(string because, Add[] adds, string expected)
    {
        byte[] request = Query("2.0.0.127.t.example", type: DnsType.ANY);
        var offsets = new byte[128];
        QueryReader.Read(request, new byte[255], offsets, out DnsQuery q);
        var buffer = new byte[512];
        int suffix = q.GetSuffixOffset(offsets, 2);

        var w = new ResponseWriter(buffer);
        w.Begin(request, q);
        foreach (Add add in adds)
        {
            byte[] rdata = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(rdata, add.Data);
            Assert.True(w.TryAddRecord(add.Type, rdata, add.Ttl, add.Suffix ? suffix : DnsQuery.NameOffset), because);
        }

        int length = w.Finish();
        var actual = Decode(buffer.AsSpan(0, length)).AnswerRecords.Select(r => $"{(int)r.RecordType}/{Data(r)}/{r.TimeToLive}");
        Assert.True(expected == string.Join(' ', actual), $"{because}: {string.Join(' ', actual)}");
    }

    private static uint Data(ARSoft.Tools.Net.Dns.DnsRecordBase record) => record switch
    {
        ARSoft.Tools.Net.Dns.ARecord a => BinaryPrimitives.ReadUInt32BigEndian(a.Address.GetAddressBytes()),
        ARSoft.Tools.Net.Dns.UnknownRecord u => BinaryPrimitives.ReadUInt32BigEndian(u.RecordData),
        _ => throw new InvalidOperationException(record.ToString()),
    };
}
