namespace DnsblServer.Wire.Internal;

/// <summary>
/// Small helpers over wire-format names (length-prefixed labels ending in a zero byte).
/// </summary>
internal static class WireName
{
    /// <summary>
    /// Length of the uncompressed name at the start of <paramref name="name"/>, including the zero; -1 when it has a
    /// label over 63 bytes (or a pointer), runs past the span, or exceeds 255 bytes.
    /// </summary>
    public static int GetLength(ReadOnlySpan<byte> name)
    {
        int p = 0;
        while (p < name.Length)
        {
            int length = name[p];
            if (length == 0)
            {
                return p + 1 <= DnsQuery.MaxNameLength ? p + 1 : -1;
            }

            if (length > 63)
            {
                return -1;
            }

            p += length + 1;
        }

        return -1;
    }

    /// <summary>
    /// Compares the (possibly compressed) name at <paramref name="offset"/> in <paramref name="packet"/> with the
    /// uncompressed <paramref name="name"/>, ignoring ASCII case, as DNS name equality requires.
    /// </summary>
    /// <remarks>Only called on names this writer produced or copied from a parsed question, so pointers go backwards.</remarks>
    public static bool EqualsAt(ReadOnlySpan<byte> packet, int offset, ReadOnlySpan<byte> name)
    {
        int n = 0;
        for (int hops = 0; hops < DnsQuery.MaxLabels * 2; hops++)
        {
            int length = packet[offset];
            if ((length & 0xC0) == 0xC0)
            {
                offset = ((length & 0x3F) << 8) | packet[offset + 1];
                continue;
            }

            if (length != name[n])
            {
                return false;
            }

            if (length == 0)
            {
                return true;
            }

            if (!LabelEquals(packet.Slice(offset + 1, length), name.Slice(n + 1, length)))
            {
                return false;
            }

            offset += length + 1;
            n += length + 1;
        }

        return false;
    }

    private static bool LabelEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            int x = a[i];
            int y = b[i];
            if (x != y && ((x | 0x20) != (y | 0x20) || (uint)((x | 0x20) - 'a') > 'z' - 'a'))
            {
                return false;
            }
        }

        return true;
    }
}
