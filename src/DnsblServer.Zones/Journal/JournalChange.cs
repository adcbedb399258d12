using System.Diagnostics.CodeAnalysis;
using System.Net;
using DnsblServer.Zones.Datasets.Overlay;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Journal;

/// <summary>
/// One pushed change as the journal stores it, one line each: <c>+ PREFIX [VALUE]</c> adds (lists) a
/// prefix with a value in zone-file syntax, <c>- PREFIX</c> removes it (the prefix answers "not listed"),
/// <c>= PREFIX</c> reverts it (forgets the prefix's pushed change: the file answers again).
/// </summary>
/// <param name="IsAdd">True for an add, false for a remove.</param>
/// <param name="Prefix">The prefix in canonical form (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>).</param>
/// <param name="Value">The value as written (<c>:127.0.0.3:text</c>); null for the default or a remove.</param>
public sealed record JournalChange(bool IsAdd, string Prefix, string? Value)
{
    /// <summary>True for a revert (<c>= PREFIX</c>): the prefix's earlier change is forgotten.</summary>
    public bool IsRevert { get; private init; }

    /// <summary>This remove as a revert.</summary>
    public JournalChange AsRevert() => this with { IsRevert = true };

    /// <summary>True for an IPv6 prefix.</summary>
    public bool IsIPv6 { get; private init; }

    /// <summary>The change for an IPv4 dataset's overlay.</summary>
    public PrefixChange<uint> V4 { get; private init; }

    /// <summary>The change for an IPv6 dataset's overlay.</summary>
    public PrefixChange<UInt128> V6 { get; private init; }

    /// <summary>The journal line (no newline).</summary>
    public string ToLine() => IsRevert ? $"= {Prefix}" : IsAdd ? Value is null ? $"+ {Prefix}" : $"+ {Prefix} {Value}" : $"- {Prefix}";

    /// <summary>Parses a journal line.</summary>
    public static bool TryParseLine(string line, [NotNullWhen(true)] out JournalChange? change, [NotNullWhen(false)] out string? error)
    {
        change = null;
        if (line.Length < 3 || line[0] is not ('+' or '-' or '=') || line[1] != ' ')
        {
            error = "expected '+ PREFIX [VALUE]', '- PREFIX' or '= PREFIX'";
            return false;
        }
        string rest = line[2..];
        int space = rest.IndexOf(' ');
        string prefix = space < 0 ? rest : rest[..space];
        string? value = space < 0 ? null : rest[(space + 1)..];
        if (!TryCreate(line[0] == '+', prefix, value, out change, out error)) return false;
        if (line[0] == '=') change = change.AsRevert();
        return true;
    }

    /// <summary>Validates an entry (address or CIDR; host bits must be clear) and its value.</summary>
    public static bool TryCreate(bool isAdd, string entry, string? value, [NotNullWhen(true)] out JournalChange? change, [NotNullWhen(false)] out string? error)
    {
        change = null;
        entry = entry.Trim();
        if (!isAdd && !string.IsNullOrWhiteSpace(value))
        {
            error = "a remove takes no value";
            return false;
        }
        if (value is not null && (value.Contains('\n') || value.Contains('\r')))
        {
            error = "the value must be one line";
            return false;
        }
        int slash = entry.IndexOf('/');
        string addressText = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%'))
        {
            error = $"invalid address '{addressText}'";
            return false;
        }
        bool v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (!v6 && (addressText.Count(c => c == '.') != 3 || !addressText.All(c => c == '.' || char.IsAsciiDigit(c))))
        {
            error = $"invalid address '{addressText}' (IPv4 as four decimal octets)"; // IPAddress also takes inet_aton's 192.0.2 and 0x forms
            return false;
        }
        int width = v6 ? 128 : 32;
        int bits = width;
        if (slash >= 0 && (!int.TryParse(entry[(slash + 1)..], System.Globalization.NumberStyles.None, null, out bits) || bits > width))
        {
            error = $"invalid prefix length in '{entry}'";
            return false;
        }
        DnsblValue? parsed = null;
        if (isAdd)
        {
            if (!OverlayValue.TryParse(value, out parsed, out string? valueError))
            {
                error = $"invalid value '{value}': {valueError}";
                return false;
            }
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        if (v6)
        {
            var a = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
            var change6 = new PrefixChange<UInt128>(a, bits, parsed);
            if (bits < 128 && (a & (UInt128.MaxValue >>> bits)) != UInt128.Zero)
            {
                error = $"'{entry}' has host bits set";
                return false;
            }
            change = new JournalChange(isAdd, $"{address}/{bits}", NullIfBlank(value)) { IsIPv6 = true, V6 = change6 };
        }
        else
        {
            uint a = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]);
            if (bits < 32 && (a & (uint.MaxValue >>> bits)) != 0)
            {
                error = $"'{entry}' has host bits set";
                return false;
            }
            change = new JournalChange(isAdd, $"{address}/{bits}", NullIfBlank(value)) { V4 = new PrefixChange<uint>(a, bits, parsed) };
        }
        error = null;
        return true;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
