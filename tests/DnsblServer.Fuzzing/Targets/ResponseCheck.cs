using System.Buffers.Binary;

namespace DnsblServer.Fuzzing.Targets;

/// <summary>
/// Walks a response as a client would: the header counts match the question and records present, every name ends
/// (compression pointers only point back), every RDATA length fits, and nothing is left over after the last record.
/// </summary>
internal static class ResponseCheck
{
    public static void WellFormed(ReadOnlySpan<byte> m)
    {
        int pos = 12;
        int questions = BinaryPrimitives.ReadUInt16BigEndian(m[4..]);
        int records = BinaryPrimitives.ReadUInt16BigEndian(m[6..]) + BinaryPrimitives.ReadUInt16BigEndian(m[8..]) + BinaryPrimitives.ReadUInt16BigEndian(m[10..]);
        for (int i = 0; i < questions; i++)
        {
            pos = SkipName(m, pos) + 4;
            Fits(m, pos, "question");
        }
        for (int i = 0; i < records; i++)
        {
            pos = SkipName(m, pos);
            Fits(m, pos + 10, "record header");
            int rdlength = BinaryPrimitives.ReadUInt16BigEndian(m[(pos + 8)..]);
            pos += 10 + rdlength;
            Fits(m, pos, "RDATA");
        }
        if (pos != m.Length) throw new InvalidOperationException($"{m.Length - pos} bytes after the last record the header counts");
    }

    private static int SkipName(ReadOnlySpan<byte> m, int pos)
    {
        for (int labels = 0; labels < 128; labels++)
        {
            Fits(m, pos + 1, "name");
            byte length = m[pos];
            if (length == 0) return pos + 1;
            if ((length & 0xC0) == 0xC0)
            {
                Fits(m, pos + 2, "pointer");
                int target = BinaryPrimitives.ReadUInt16BigEndian(m[pos..]) & 0x3FFF;
                if (target >= pos || target < 12) throw new InvalidOperationException($"compression pointer at {pos} to {target}");
                return pos + 2;
            }
            if (length > 63) throw new InvalidOperationException($"label length {length} at {pos}");
            pos += 1 + length;
        }
        throw new InvalidOperationException("name of more than 127 labels");
    }

    private static void Fits(ReadOnlySpan<byte> m, int end, string what)
    {
        if (end > m.Length) throw new InvalidOperationException($"{what} runs past the end of the {m.Length}-byte message");
    }
}
