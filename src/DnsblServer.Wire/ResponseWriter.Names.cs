using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using DnsblServer.Wire.Internal;

namespace DnsblServer.Wire;

/// <content>
/// Name writing with compression, block by block as rbldnsd's <c>dnc_*</c> functions build their caches.
/// </content>
public ref partial struct ResponseWriter
{
    /// <summary>
    /// rbldnsd's <c>dnc_init</c>: each block compresses against the apex suffixes in the question and its own names
    /// only, never against records written before it.
    /// </summary>
    private void StartBlock()
    {
        _names.Reset();
        _names.AddSuffixes(_buffer, _apexOffset);
    }

    // dnc_add(z_dn) finds the apex first in its table: a pointer; for the root zone it writes the root byte.
    private bool TryWriteBlockOwner()
    {
        if (_buffer[_apexOffset] == 0)
        {
            if (!TryReserve(1, out int at))
            {
                return false;
            }

            _buffer[at] = 0;
            return true;
        }

        if (!TryReserve(2, out int p))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[p..], (ushort)(0xC000 | _apexOffset));
        return true;
    }

    /// <summary>
    /// Writes <paramref name="name"/> using the longest suffix already in the table (rbldnsd <c>dnc_add</c>). New
    /// suffixes join the table once the whole name is written, so lookups never read a half-written name; a name can
    /// never equal its own suffix, so this finds the same pointers as adding them label by label.
    /// </summary>
    [SkipLocalsInit] // the stack buffer is written before it is read; skip zeroing on every name
    private bool TryWriteName(scoped ReadOnlySpan<byte> name)
    {
        Span<ushort> added = stackalloc ushort[DnsQuery.MaxLabels];
        int count = 0;
        int i = 0;
        while (name[i] != 0)
        {
            int found = _names.Find(_buffer, name[i..]);
            if (found >= 0)
            {
                if (!TryReserve(2, out int p))
                {
                    return false;
                }

                BinaryPrimitives.WriteUInt16BigEndian(_buffer[p..], (ushort)(0xC000 | found));
                Remember(added[..count]);
                return true;
            }

            int length = name[i] + 1;
            if (!TryReserve(length, out int at))
            {
                return false;
            }

            name.Slice(i, length).CopyTo(_buffer[at..]);
            added[count++] = (ushort)at;
            i += length;
        }

        if (!TryReserve(1, out int z))
        {
            return false;
        }

        _buffer[z] = 0;
        Remember(added[..count]);
        return true;
    }

    private void Remember(scoped ReadOnlySpan<ushort> offsets)
    {
        foreach (ushort offset in offsets)
        {
            _names.Add(offset);
        }
    }

    private bool TryReserve(int length, out int at)
    {
        at = _position;
        if (_position + length > _recordLimit)
        {
            return false;
        }

        _position += length;
        return true;
    }

    /// <summary>Finds the start of each name; returns how many (at most 32), with the end offset after the last.</summary>
    private static int SplitNames(ReadOnlySpan<byte> names, Span<ushort> starts)
    {
        int count = 0;
        int p = 0;
        while (p < names.Length && count < MaxNameServers)
        {
            starts[count++] = (ushort)p;
            p += ValidName(names[p..], nameof(names));
        }

        starts[count] = (ushort)p;
        return count;
    }

    /// <summary>Length of a well-formed uncompressed name at the start of <paramref name="name"/>; throws otherwise.</summary>
    private static int ValidName(ReadOnlySpan<byte> name, string parameter)
    {
        int length = WireName.GetLength(name);
        if (length < 0)
        {
            ThrowBadName(parameter);
        }

        return length;
    }

    [DoesNotReturn]
    private static void ThrowBadName(string parameter) =>
        throw new ArgumentException("Not a well-formed uncompressed wire-format name.", parameter);

    [DoesNotReturn]
    private static void ThrowGlueIndex() =>
        throw new ArgumentOutOfRangeException(nameof(GlueAddress.NameIndex), "Glue refers to a name that is not in the list.");
}
