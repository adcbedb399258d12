using System.Buffers.Binary;
using System.IO.Compression;

namespace DnsblServer.Zones.Files;

/// <summary>
/// Decompresses a gzip file member by member and checks each member's trailer (CRC-32 and length),
/// as zlib's gzread does for rbldnsd: a stream that ends before a trailer is "truncated gzip stream",
/// a trailer that does not match is "gzip CRC mismatch". GZipStream returns end-of-data for a
/// truncated file without a word, and reports a CRC error as an "unsupported compression method".
/// Concatenated members are read one after another; bytes after the last member that do not start
/// a new member are ignored, as zlib does.
/// <para>
/// Each member's deflate data goes through a raw <see cref="DeflateStream"/> fed in chunks from our
/// own buffer. DeflateStream asks for input only once it has used all it was given, so the end of the
/// deflate data lies in the last chunk it took; the trailer is found there as the 8 bytes that match
/// the CRC and length we counted (a false match in compressed data is a 1 in 2^64 chance).
/// </para>
/// </summary>
internal sealed class GzipMemberStream : ReadOnlyStream
{
    private const int ChunkSize = 8192;

    private readonly Stream _source;
    private readonly byte[] _input = new byte[64 * 1024];
    private int _start;                 // next byte not yet given to the inflater or the header parser
    private int _end;                   // end of the bytes read from the source
    private bool _sourceEnded;
    private int _chunkStart;            // the last chunk given to the inflater: [_chunkStart, _start)
    private DeflateStream? _member;
    private uint _crc;
    private long _length;
    private bool _done;
    private bool _starved;              // the inflater asked for more and the file had none

    public GzipMemberStream(Stream source)
    {
        _source = source;
        if (!ReadHeader()) throw new GzipFormatException("truncated gzip stream (no header)");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (!_done && buffer.Length > 0)
        {
            int n;
            try
            {
                n = _member!.Read(buffer);
            }
            catch (InvalidDataException)
            {
                throw new GzipFormatException("corrupt gzip data (invalid deflate stream)");
            }
            if (n > 0)
            {
                _crc = Crc32.Append(_crc, buffer[..n]);
                _length += n;
                return n;
            }
            FinishMember();
        }
        return 0;
    }

    private void FinishMember()
    {
        _member!.Dispose();
        _member = null;
        // the trailer starts somewhere in the last chunk, or right after it
        Compact(_chunkStart);
        int chunkLength = _start;
        Fill(chunkLength + 8);
        Span<byte> expected = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], (uint)_length);
        int limit = Math.Min(chunkLength, _end - 8);
        int found = limit < 0 ? -1 : _input.AsSpan(0, limit + 8).IndexOf(expected);
        if (found < 0)
        {
            // the inflater ran out of input: the file stopped inside the compressed data
            if (_starved) throw new GzipFormatException("truncated gzip stream");
            // the data ended; a trailer with our length but another CRC is a CRC error, anything else a cut trailer
            bool lengthMatches = limit >= 0 && _input.AsSpan(0, limit + 8).IndexOf(expected[4..]) >= 4;
            throw new GzipFormatException(lengthMatches ? "gzip CRC mismatch" : "truncated gzip stream (trailer missing or damaged)");
        }
        _start = found + 8;
        _chunkStart = _start;
        _crc = 0;
        _length = 0;
        Fill(_start + 2);
        if (_end - _start < 2 || _input[_start] != 0x1f || _input[_start + 1] != 0x8b)
        {
            _done = true; // end of file, or trailing bytes zlib ignores too
            return;
        }
        if (!ReadHeader()) throw new GzipFormatException("truncated gzip stream (member header)");
    }

    // RFC 1952 member header; leaves _start at the deflate data and opens the member's inflater.
    private bool ReadHeader()
    {
        Compact(_start);
        if (!Fill(10)) return false;
        if (_input[0] != 0x1f || _input[1] != 0x8b) throw new GzipFormatException("not a gzip stream");
        if (_input[2] != 8) throw new GzipFormatException("unknown gzip compression method");
        byte flags = _input[3];
        int at = 10;
        if ((flags & 0x04) != 0)
        {
            if (!Fill(at + 2)) return false;
            at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(_input.AsSpan(at));
        }
        if ((flags & 0x08) != 0 && !SkipString(ref at)) return false;
        if ((flags & 0x10) != 0 && !SkipString(ref at)) return false;
        if ((flags & 0x02) != 0) at += 2;
        if (!Fill(at)) return false;
        _start = at;
        _chunkStart = at;
        _member = new DeflateStream(new Feeder(this), CompressionMode.Decompress);
        return true;
    }

    private bool SkipString(ref int at)
    {
        while (true)
        {
            // names and comments are short; a header longer than the buffer is refused as truncated
            if (!Fill(at + 1)) return false;
            if (_input[at++] == 0) return true;
        }
    }

    // Moves _input[from.._end) to the front.
    private void Compact(int from)
    {
        Buffer.BlockCopy(_input, from, _input, 0, _end - from);
        _end -= from;
        _start -= from;
        _chunkStart -= Math.Min(_chunkStart, from);
    }

    // Reads until at least `count` bytes are buffered (from index 0); false at end of file or when they do not fit.
    private bool Fill(int count)
    {
        if (count > _input.Length) return false;
        while (_end < count && !_sourceEnded)
        {
            int n = _source.Read(_input, _end, _input.Length - _end);
            if (n == 0) _sourceEnded = true;
            _end += n;
        }
        return _end >= count;
    }

    // Hands the inflater chunks of our buffer, remembering the last one.
    private int Give(Span<byte> destination)
    {
        if (_start == _end)
        {
            Compact(_start);
            Fill(1);
        }
        int n = Math.Min(Math.Min(destination.Length, ChunkSize), _end - _start);
        if (n == 0)
        {
            _starved = true; // end of file: the last chunk stays the one the inflater had
            return 0;
        }
        _input.AsSpan(_start, n).CopyTo(destination);
        _chunkStart = _start;
        _start += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _member?.Dispose();
            _source.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class Feeder(GzipMemberStream owner) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => owner.Give(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer) => owner.Give(buffer);
    }
}
