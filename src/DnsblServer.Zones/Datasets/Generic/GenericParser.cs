using System.Buffers.Binary;
using DnsblServer.Addressing;
using DnsblServer.Zones.Datasets.Dns;
using DnsblServer.Zones.Files;

namespace DnsblServer.Zones.Datasets.Generic;

/// <summary>
/// generic (rbldnsd_generic.c): <c>name [ttl] [IN] type value</c>, one record per line.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>name: <c>@</c> followed by a blank is the apex; otherwise one word read as a domain name relative to
/// the zone (a trailing dot changes nothing; <c>.</c> alone is invalid), lowercased.</item>
/// <item>ttl: when the next word starts with a digit, a time with optional unit; 0 = the <c>$TTL</c> in effect
/// at this line, otherwise clamped by -t min:max. Without it the record takes the <c>$TTL</c> in effect.</item>
/// <item><c>IN</c> (any case) may come after the TTL, never before it.</item>
/// <item>A: inet_aton-style (<c>127.1</c> = 127.0.0.1, <c>5</c> = 0.0.0.5), anything after the address ignored.
/// TXT: the rest of the line, outer double quotes removed when both are there, no <c>$</c> substitution,
/// truncated to 255 bytes. MX: preference (at most 65535) and an absolute target.</item>
/// <item>Any other type (AAAA, NS, CNAME…) or a malformed line: warning "invalid/unrecognized entry", line skipped.</item>
/// <item>rbldnsd aborts the whole load (the zone is not served) on a malformed TTL, on an MX without a valid
/// target, and on anything after an MX target: <see cref="ParseLine"/> throws <see cref="GenericLoadAbortedException"/>,
/// which <see cref="ZoneFileReader.ReadFile"/> turns into the load error.</item>
/// </list>
/// </remarks>
public sealed class GenericParser : LineParser
{
    /// <summary>The dataset type name.</summary>
    public const string Type = "generic";

    private readonly List<Pending> _pending = [];

    /// <inheritdoc />
    public override void ParseLine(ReadOnlySpan<byte> line, DatasetLoadContext context)
    {
        Span<byte> name = stackalloc byte[DnsNameText.MaxWireLength];
        int pos = 0;
        int nameLength;
        if (line[0] == '@' && line.Length > 1 && Syntax.IsSpace(line[1]))
        {
            nameLength = 0;
            pos = Syntax.SkipSpace(line, 2);
        }
        else if (!DnsNameText.TryReadWord(line, ref pos, name, out nameLength) || nameLength == 0)
        {
            Invalid(context);
            return;
        }
        name = name[..nameLength];
        DnsNameText.ToLower(name);

        uint ttl = context.Ttl;
        if (pos < line.Length && (uint)(line[pos] - '0') <= 9)
        {
            if (!Numbers.TryParseTime(line, ref pos, out ttl)) throw new GenericLoadAbortedException("invalid TTL");
            ttl = context.Options.ClampTtl(ttl, context.Ttl);
        }
        if (pos + 2 < line.Length && (line[pos] | 0x20) == 'i' && (line[pos + 1] | 0x20) == 'n' && Syntax.IsSpace(line[pos + 2]))
        {
            pos = Syntax.SkipSpace(line, pos + 2);
        }
        int typeStart = pos;
        while (pos < line.Length && !Syntax.IsSpace(line[pos])) pos++;
        if (pos >= line.Length)
        {
            Invalid(context); // the type must be followed by a value
            return;
        }
        ReadOnlySpan<byte> type = line[typeStart..pos];
        pos = Syntax.SkipSpace(line, pos);

        byte[]? rdata;
        ushort dnsType;
        if (IsWord(type, "a"u8)) (dnsType, rdata) = (GenericDataset.TypeA, ParseA(line, pos));
        else if (IsWord(type, "txt"u8)) (dnsType, rdata) = (GenericDataset.TypeTxt, ParseTxt(line[pos..], context));
        else if (IsWord(type, "mx"u8)) (dnsType, rdata) = (GenericDataset.TypeMx, ParseMx(line, pos));
        else (dnsType, rdata) = (0, null);
        if (rdata is null)
        {
            Invalid(context);
            return;
        }
        _pending.Add(new Pending(name.ToArray(), new GenericRecord(dnsType, ttl, rdata), _pending.Count));
    }

    private static void Invalid(DatasetLoadContext context) => context.Warn("invalid/unrecognized entry");

    private static byte[]? ParseA(ReadOnlySpan<byte> line, int pos)
    {
        if (Ip4Text.ParseInetAton(line, ref pos, out uint address) <= 0) return null;
        var rdata = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rdata, address);
        return rdata;
    }

    private static byte[] ParseTxt(ReadOnlySpan<byte> text, DatasetLoadContext context)
    {
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"') text = text[1..^1];
        if (text.Length > 255)
        {
            context.Warn("TXT RR truncated to 255 bytes");
            text = text[..255];
        }
        var rdata = new byte[text.Length + 1];
        rdata[0] = (byte)text.Length;
        text.CopyTo(rdata.AsSpan(1));
        return rdata;
    }

    private static byte[]? ParseMx(ReadOnlySpan<byte> line, int pos)
    {
        if (!Numbers.TryParseUInt32(line, ref pos, out uint preference) || preference > ushort.MaxValue) return null;
        Span<byte> target = stackalloc byte[DnsNameText.MaxWireLength];
        if (!DnsNameText.TryReadWord(line, ref pos, target, out int length)) throw new GenericLoadAbortedException("invalid MX target");
        if (pos < line.Length) throw new GenericLoadAbortedException("unexpected text after the MX target");
        var rdata = new byte[2 + length + 1]; // the target keeps its case and gets its root byte back
        BinaryPrimitives.WriteUInt16BigEndian(rdata, (ushort)preference);
        target[..length].CopyTo(rdata.AsSpan(2));
        return rdata;
    }

    // The type word, lowercased as rbldnsd does (ASCII letters only).
    private static bool IsWord(ReadOnlySpan<byte> word, ReadOnlySpan<byte> lower)
    {
        if (word.Length != lower.Length) return false;
        for (int i = 0; i < word.Length; i++)
        {
            byte c = word[i];
            if ((uint)(c - 'A') <= 'Z' - 'A') c |= 0x20;
            if (c != lower[i]) return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override Dataset Finish(IReadOnlyList<string> fileNames, DatasetLoadContext context)
    {
        _pending.Sort(static (a, b) =>
        {
            int c = a.Name.AsSpan().SequenceCompareTo(b.Name);
            if (c == 0) c = a.Record.Type.CompareTo(b.Record.Type);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        var names = new List<byte>();
        var nameStart = new List<int>();
        var recordStart = new List<int>();
        var records = new GenericRecord[_pending.Count];
        for (int i = 0; i < _pending.Count; i++)
        {
            if (i == 0 || !_pending[i].Name.AsSpan().SequenceEqual(_pending[i - 1].Name))
            {
                nameStart.Add(names.Count);
                recordStart.Add(i);
                names.AddRange(_pending[i].Name);
            }
            records[i] = _pending[i].Record;
        }
        nameStart.Add(names.Count);
        recordStart.Add(records.Length);
        _pending.Clear();
        return new GenericDataset(DatasetInfo.From(Type, fileNames, context), [.. names], [.. nameStart], [.. recordStart], records);
    }

    private readonly record struct Pending(byte[] Name, GenericRecord Record, int Order);
}

/// <summary>
/// A generic line on which rbldnsd stops loading the dataset (its line parser reports a hard failure):
/// the load fails and the zone keeps its previous data, or is not served. Derives from
/// <see cref="IOException"/> only because that is what <see cref="ZoneFileReader.ReadFile"/> turns into a
/// load error naming the file and line (<see cref="InvalidDataException"/> is sealed).
/// </summary>
public sealed class GenericLoadAbortedException(string reason)
    : IOException($"{reason}; rbldnsd stops loading the dataset on this line");
