using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace DnsblServer.TestSupport;

/// <summary>Options for <see cref="AnswerSummary.From(byte[], SummaryOptions)"/>.</summary>
public sealed record SummaryOptions
{
    /// <summary>Keep the case of owner names and names inside RDATA (default: lowercased).</summary>
    public bool PreserveCase { get; init; }

    /// <summary>Keep records in wire order (default: sorted within each section, since rbldnsd rotates NS sets).</summary>
    public bool KeepOrder { get; init; }

    /// <summary>Leave TTLs out of the rendering.</summary>
    public bool IgnoreTtl { get; init; }
}

/// <summary>
/// A canonical, comparable text rendering of a DNS response, decoded byte-exactly by its own small
/// parser (TXT bytes are never lost to a text encoding). Two summaries are equal when their texts are;
/// the transaction id is not rendered. Example:
/// <code>
/// NOERROR opcode=QUERY flags=qr aa rd
/// ;; QUESTION
/// 2.0.0.127.t.example. IN A
/// ;; ANSWER
/// 2.0.0.127.t.example. 2100 IN A 127.0.0.2
/// ;; AUTHORITY
/// t.example. 3600 IN NS ns1.example.net.
/// </code>
/// Empty sections are omitted; no reply renders as <c>NO RESPONSE</c>; undecodable input renders what
/// could be read plus a <c>MALFORMED</c> line.
/// </summary>
public sealed class AnswerSummary : IEquatable<AnswerSummary>
{
    /// <summary>The text used for a missing reply.</summary>
    public const string NoResponse = "NO RESPONSE";

    private static readonly string[] SectionNames = ["QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL"];

    private AnswerSummary(string text) => Text = text;

    /// <summary>The canonical text, lines separated by '\n'.</summary>
    public string Text { get; }

    /// <summary>Renders a response; null means no response.</summary>
    public static AnswerSummary From(byte[]? response, SummaryOptions? options = null) =>
        new(response is null ? NoResponse : Render(response, options ?? new SummaryOptions()));

    /// <summary>Line diff of two summaries ("  " same, "- " only in expected, "+ " only in actual).</summary>
    public static string Diff(AnswerSummary expected, AnswerSummary actual) => LineDiff(expected.Text, actual.Text);

    /// <summary>Throws <see cref="AnswerMismatchException"/> with a readable diff when the summaries differ.</summary>
    public static void AssertEqual(AnswerSummary expected, AnswerSummary actual, string? context = null)
    {
        if (!expected.Equals(actual))
        {
            throw new AnswerMismatchException(
                (context is null ? "" : context + "\n") + "responses differ (- expected, + actual):\n" + Diff(expected, actual));
        }
    }

    /// <inheritdoc/>
    public bool Equals(AnswerSummary? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AnswerSummary);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static string Render(byte[] packet, SummaryOptions options)
    {
        var output = new StringBuilder();
        if (packet.Length < 12)
        {
            return $"MALFORMED: {packet.Length}-byte packet: {Convert.ToHexString(packet)}";
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
        output.Append(RcodeName(flags & 0xF)).Append(" opcode=").Append(OpcodeName((flags >> 11) & 0xF)).Append(" flags=");
        var flagNames = new List<string>();
        foreach (var (bit, flagName) in new[] { (0x8000, "qr"), (0x0400, "aa"), (0x0200, "tc"), (0x0100, "rd"), (0x0080, "ra"), (0x0040, "z"), (0x0020, "ad"), (0x0010, "cd") })
        {
            if ((flags & bit) != 0)
            {
                flagNames.Add(flagName);
            }
        }

        output.Append(string.Join(' ', flagNames));
        var reader = new Reader(packet, options);
        string? error = null;
        for (var section = 0; section < 4 && error is null; section++)
        {
            var count = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4 + 2 * section));
            var lines = new List<string>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    lines.Add(section == 0 ? reader.ReadQuestion() : reader.ReadRecord());
                }
            }
            catch (FormatException e)
            {
                error = $"MALFORMED: {SectionNames[section]} record {lines.Count + 1} of {count}: {e.Message}";
            }

            if (!options.KeepOrder && section > 0)
            {
                lines.Sort(StringComparer.Ordinal);
            }

            if (lines.Count > 0)
            {
                output.Append("\n;; ").Append(SectionNames[section]);
                foreach (var line in lines)
                {
                    output.Append('\n').Append(line);
                }
            }
        }

        if (error is not null)
        {
            output.Append('\n').Append(error);
        }
        else if (reader.Offset != packet.Length)
        {
            output.Append("\nTRAILING ").Append(packet.Length - reader.Offset).Append(" bytes");
        }

        return output.ToString();
    }

    private static string RcodeName(int rcode) => rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        _ => "RCODE" + rcode.ToString(CultureInfo.InvariantCulture),
    };

    private static string OpcodeName(int opcode) => opcode switch
    {
        0 => "QUERY",
        1 => "IQUERY",
        2 => "STATUS",
        4 => "NOTIFY",
        5 => "UPDATE",
        _ => "OPCODE" + opcode.ToString(CultureInfo.InvariantCulture),
    };

    private static string TypeName(int type) => type switch
    {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        13 => "HINFO",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        41 => "OPT",
        249 => "TKEY",
        250 => "TSIG",
        251 => "IXFR",
        252 => "AXFR",
        253 => "MAILB",
        254 => "MAILA",
        255 => "ANY",
        _ => "TYPE" + type.ToString(CultureInfo.InvariantCulture),
    };

    private static string ClassName(int @class) => @class switch
    {
        1 => "IN",
        3 => "CH",
        4 => "HS",
        254 => "NONE",
        255 => "ANY",
        _ => "CLASS" + @class.ToString(CultureInfo.InvariantCulture),
    };

    private static string LineDiff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var diff = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                diff.Append("  ").Append(a[x++]).Append('\n');
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                diff.Append("- ").Append(a[x++]).Append('\n');
            }
            else
            {
                diff.Append("+ ").Append(b[y++]).Append('\n');
            }
        }

        return diff.ToString();
    }

    /// <summary>Sequential reader over the packet; throws <see cref="FormatException"/> on malformed data.</summary>
    private sealed class Reader(byte[] packet, SummaryOptions options)
    {
        private int _offset = 12;

        public int Offset => _offset;

        public string ReadQuestion()
        {
            var name = ReadName(ref _offset);
            var type = ReadUInt16(ref _offset);
            var @class = ReadUInt16(ref _offset);
            return $"{name} {ClassName(@class)} {TypeName(type)}";
        }

        public string ReadRecord()
        {
            var name = ReadName(ref _offset);
            var type = ReadUInt16(ref _offset);
            var @class = ReadUInt16(ref _offset);
            var ttl = ReadUInt32(ref _offset);
            var length = ReadUInt16(ref _offset);
            var start = _offset;
            var end = start + length;
            if (end > packet.Length)
            {
                throw new FormatException($"RDATA of {length} bytes at offset {start} runs past the end ({packet.Length})");
            }

            string result;
            if (type == 41)
            {
                // OPT: CLASS is the UDP size, TTL carries extended rcode, version and flags.
                result = $"{name} OPT udp={@class} ercode={ttl >> 24} version={(ttl >> 16) & 0xFF} flags={ttl & 0xFFFF:x4}" +
                         (length > 0 ? " data=" + Convert.ToHexString(packet, start, length) : "");
            }
            else
            {
                var ttlText = options.IgnoreTtl ? "" : ttl.ToString(CultureInfo.InvariantCulture) + " ";
                result = $"{name} {ttlText}{ClassName(@class)} {TypeName(type)} {ReadRdata(type, start, end)}";
            }

            _offset = end;
            return result;
        }

        private string ReadRdata(int type, int start, int end)
        {
            var offset = start;
            string text;
            switch (type)
            {
                case 1 when end - start == 4:
                    text = new IPAddress(packet.AsSpan(start, 4)).ToString();
                    offset = end;
                    break;
                case 28 when end - start == 16:
                    text = new IPAddress(packet.AsSpan(start, 16)).ToString();
                    offset = end;
                    break;
                case 2 or 5 or 12:
                    text = ReadName(ref offset);
                    break;
                case 15:
                    text = ReadUInt16(ref offset).ToString(CultureInfo.InvariantCulture) + " " + ReadName(ref offset);
                    break;
                case 6:
                    text = ReadName(ref offset) + " " + ReadName(ref offset);
                    for (var i = 0; i < 5; i++)
                    {
                        text += " " + ReadUInt32(ref offset).ToString(CultureInfo.InvariantCulture);
                    }

                    break;
                case 16:
                    var parts = new List<string>();
                    while (offset < end)
                    {
                        var length = packet[offset++];
                        if (offset + length > end)
                        {
                            throw new FormatException($"TXT string of {length} bytes at offset {offset - 1} overruns RDATA");
                        }

                        parts.Add(QuoteTxt(packet.AsSpan(offset, length)));
                        offset += length;
                    }

                    text = string.Join(' ', parts);
                    break;
                default:
                    text = $"\\# {end - start} {Convert.ToHexString(packet, start, end - start)}".TrimEnd();
                    offset = end;
                    break;
            }

            if (offset != end)
            {
                throw new FormatException($"RDATA of type {TypeName(type)} at offset {start}: decoded {offset - start} of {end - start} bytes");
            }

            return text;
        }

        private string ReadName(ref int offset)
        {
            var name = new StringBuilder();
            var position = offset;
            var jumped = false;
            var jumps = 0;
            while (true)
            {
                if (position >= packet.Length)
                {
                    throw new FormatException($"name runs past the end at offset {position}");
                }

                int length = packet[position];
                if ((length & 0xC0) == 0xC0)
                {
                    if (position + 1 >= packet.Length || ++jumps > 64)
                    {
                        throw new FormatException($"bad compression pointer at offset {position}");
                    }

                    if (!jumped)
                    {
                        offset = position + 2;
                    }

                    jumped = true;
                    position = ((length & 0x3F) << 8) | packet[position + 1];
                    continue;
                }

                if ((length & 0xC0) != 0)
                {
                    throw new FormatException($"unsupported label type 0x{length:x2} at offset {position}");
                }

                position++;
                if (length == 0)
                {
                    break;
                }

                if (position + length > packet.Length)
                {
                    throw new FormatException($"label runs past the end at offset {position - 1}");
                }

                foreach (var b in packet.AsSpan(position, length))
                {
                    var c = options.PreserveCase || b is < (byte)'A' or > (byte)'Z' ? b : (byte)(b + 32);
                    if (c is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
                    {
                        name.Append('\\').Append((char)c);
                    }
                    else if (c is <= 0x20 or >= 0x7F)
                    {
                        name.Append('\\').Append(c.ToString("D3", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        name.Append((char)c);
                    }
                }

                name.Append('.');
                position += length;
            }

            if (!jumped)
            {
                offset = position;
            }

            return name.Length == 0 ? "." : name.ToString();
        }

        private ushort ReadUInt16(ref int offset)
        {
            if (offset + 2 > packet.Length)
            {
                throw new FormatException($"16-bit field runs past the end at offset {offset}");
            }

            var value = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(offset));
            offset += 2;
            return value;
        }

        private uint ReadUInt32(ref int offset)
        {
            if (offset + 4 > packet.Length)
            {
                throw new FormatException($"32-bit field runs past the end at offset {offset}");
            }

            var value = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(offset));
            offset += 4;
            return value;
        }

        private static string QuoteTxt(ReadOnlySpan<byte> bytes)
        {
            var text = new StringBuilder("\"");
            foreach (var b in bytes)
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    text.Append('\\').Append((char)b);
                }
                else if (b is < 0x20 or >= 0x7F)
                {
                    text.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append((char)b);
                }
            }

            return text.Append('"').ToString();
        }
    }
}

/// <summary>Thrown by <see cref="AnswerSummary.AssertEqual"/>; the message carries a line diff.</summary>
public sealed class AnswerMismatchException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public AnswerMismatchException(string message)
        : base(message)
    {
    }
}
