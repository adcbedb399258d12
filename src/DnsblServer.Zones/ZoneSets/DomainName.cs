using System.Text;

namespace DnsblServer.Zones.ZoneSets;

/// <summary>Domain names in DNS wire format (length-prefixed labels, ending in a 0 byte).</summary>
public static class DomainName
{
    /// <summary>Converts a dotted name (no escapes; "" or "." = root) to lowercase wire format.</summary>
    public static byte[] ToWire(string name)
    {
        name = name.TrimEnd('.');
        if (name.Length == 0) return [0];
        var bytes = new List<byte>(name.Length + 2);
        foreach (string label in name.Split('.'))
        {
            byte[] l = Encoding.Latin1.GetBytes(label.ToLowerInvariant());
            bytes.Add((byte)l.Length);
            bytes.AddRange(l);
        }
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>Converts a dotted name to wire format keeping its case (for record data such as SOA and NS names).</summary>
    public static byte[] ToWirePreservingCase(string name)
    {
        name = name.TrimEnd('.');
        if (name.Length == 0) return [0];
        var bytes = new List<byte>(name.Length + 2);
        foreach (string label in name.Split('.'))
        {
            byte[] l = Encoding.Latin1.GetBytes(label);
            bytes.Add((byte)l.Length);
            bytes.AddRange(l);
        }
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>The number of labels of a wire-format name (0 for the root).</summary>
    public static int CountLabels(ReadOnlySpan<byte> wire)
    {
        int count = 0;
        for (int at = 0; at < wire.Length && wire[at] != 0; at += wire[at] + 1) count++;
        return count;
    }
}
