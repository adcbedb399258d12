using static DnsblServer.Wire.Tests.TestPackets;

namespace DnsblServer.Wire.Tests;

public class QueryReaderTests
{
    private static readonly string Label63 = new('a', 63);

    // A 255-byte name: 3 × (1 + 63) + (1 + 61) + 1.
    private static readonly string Name255 = $"{Label63}.{Label63}.{Label63}.{new string('b', 61)}";

    // One byte more: 256.
    private static readonly string Name256 = $"{Label63}.{Label63}.{Label63}.{new string('b', 62)}";

    public static TheoryData<string, byte[], QueryReadStatus> Drops => new()
    {
        { "empty", [], QueryReadStatus.DroppedTooShort },
        { "3 bytes", [0x12, 0x34, 0x01], QueryReadStatus.DroppedTooShort },
        { "header only", Query("x")[..12], QueryReadStatus.DroppedTooShort },
        { "16 bytes: root name, 3 of 4 type/class bytes", Query(".")[..16], QueryReadStatus.DroppedTooShort },
        { "QR set", Query("2.0.0.127.t.example", flags1: 0x81), QueryReadStatus.DroppedResponse },
        { "QDCOUNT 0", Query("t.example", counts: (0, 0, 0, 0)), QueryReadStatus.DroppedQuestionCount },
        { "QDCOUNT 2", Query("t.example", counts: (2, 0, 0, 0)), QueryReadStatus.DroppedQuestionCount },
        { "QDCOUNT 257", Query("t.example", counts: (257, 0, 0, 0)), QueryReadStatus.DroppedQuestionCount },
        { "pointer in question", [.. Query("t.example")[..12], 0xC0, 0x0C, 0, 1, 0, 1, 0, 0], QueryReadStatus.DroppedBadName },
        { "0x40 label type", [.. Query("t.example")[..12], 0x41, .. new byte[65], 0, 1, 0, 1], QueryReadStatus.DroppedBadName },
        { "label of 64", Query(new string('a', 64) + ".example"), QueryReadStatus.DroppedBadName },
        { "name of 256 bytes", Query(Name256), QueryReadStatus.DroppedBadName },
        { "label runs past the end", [.. Query("t.example")[..12], 10, (byte)'a', (byte)'b', 0, 0, 0, 0, 0], QueryReadStatus.DroppedBadName },
        { "no room for QTYPE/QCLASS", Query("abc.de")[..^2], QueryReadStatus.DroppedBadName },
    };

    [Theory]
    [MemberData(nameof(Drops))]
    public void Drops_like_parsequery(string because, byte[] packet, QueryReadStatus expected)
    {
        var status = QueryReader.Read(packet, new byte[255], new byte[128], out _);
        Assert.True(expected == status, because);
        Assert.True(status.IsDropped(), because);
    }

    public static TheoryData<string, string, int, int> Accepted => new()
    {
        // name, expected lowercased dotted form, label count, name length
        { "2.0.0.127.T.Example", "2.0.0.127.t.example", 6, 21 },
        { ".", "", 0, 1 },
        { $"{Label63}.x", $"{Label63}.x", 2, 67 },
        { Name255, Name255, 4, 255 },
        { "MiXeD-123.ZONE", "mixed-123.zone", 2, 16 },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Reads_question_and_lowercases_the_name(string name, string lower, int labels, int nameLength)
    {
        byte[] packet = Query(name, type: DnsType.TXT, @class: DnsClass.ANY, flags1: 0x01, flags2: 0x20, id: 0xBEEF);
        var nameBuffer = new byte[255];
        var offsets = new byte[128];

        var status = QueryReader.Read(packet, nameBuffer, offsets, out DnsQuery q);

        Assert.Equal(QueryReadStatus.Ok, status);
        Assert.Equal(0xBEEF, q.Id);
        Assert.Equal(0x01, q.Flags1);
        Assert.Equal(0x20, q.Flags2);
        Assert.True(q.RecursionDesired);
        Assert.Equal(0, q.Opcode);
        Assert.Equal(DnsType.TXT, q.QType);
        Assert.Equal(DnsClass.ANY, q.QClass);
        Assert.Equal(labels, q.LabelCount);
        Assert.Equal(nameLength, q.NameLength);
        Assert.Equal(nameLength + 4, q.QuestionLength);
        Assert.Equal(12, q.QuestionOffset);
        Assert.Equal(12 + nameLength + 4, q.QuestionEnd);
        Assert.Equal(packet.Length, q.MessageLength);
        Assert.Equal(Name(lower), nameBuffer[..nameLength]);
        int expectedOffset = 0;
        for (int i = 0; i < labels; i++)
        {
            Assert.Equal(expectedOffset, offsets[i]);
            expectedOffset += nameBuffer[expectedOffset] + 1;
        }
    }

    public static TheoryData<byte, int, bool, bool, bool> HeaderBits => new()
    {
        // flags1, opcode, AA, TC, unsupported (rbldnsd NOTIMP)
        { 0x00, 0, false, false, false },
        { 0x01, 0, false, false, false },
        { 0x10, 2, false, false, true },
        { 0x28, 5, false, false, true },
        { 0x05, 0, true, false, true },
        { 0x03, 0, false, true, true },
    };

    [Theory]
    [MemberData(nameof(HeaderBits))]
    public void Exposes_header_bits(byte flags1, int opcode, bool aa, bool tc, bool unsupported)
    {
        DnsQuery q = Read(Query("t.example", flags1: flags1));
        Assert.Equal(opcode, q.Opcode);
        Assert.Equal(aa, q.AuthoritativeBit);
        Assert.Equal(tc, q.TruncatedBit);
        Assert.Equal(unsupported, q.HasUnsupportedHeader);
    }

    [Fact]
    public void Suffix_offsets_point_into_the_question()
    {
        var offsets = new byte[128];
        QueryReader.Read(Query("2.0.0.127.t.example"), new byte[255], offsets, out DnsQuery q);

        Assert.Equal(12, q.GetSuffixOffset(offsets, 6));
        Assert.Equal(12 + 10, q.GetSuffixOffset(offsets, 2)); // "t.example" after 2.0.0.127 (4 × 2 + 3 bytes = 10)
        Assert.Equal(12 + 20, q.GetSuffixOffset(offsets, 0)); // the terminating zero
        Assert.Throws<ArgumentOutOfRangeException>(() => q.GetSuffixOffset(offsets, 7));
    }

    [Fact]
    public void Rejects_small_caller_buffers()
    {
        byte[] packet = Query("t.example");
        Assert.Throws<ArgumentOutOfRangeException>(() => QueryReader.Read(packet, new byte[254], new byte[128], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueryReader.Read(packet, new byte[255], new byte[127], out _));
    }
}
