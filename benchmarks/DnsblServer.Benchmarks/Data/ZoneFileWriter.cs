using System.Text;

namespace DnsblServer.Benchmarks.Data;

/// <summary>Writes rbldnsd ip4set files: a header of text lines, then one key per line.</summary>
internal sealed class ZoneFileWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _used;

    /// <summary>Opens <paramref name="path"/> for writing (replacing it).</summary>
    public ZoneFileWriter(string path)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
    }

    /// <summary>Writes a text line (a special, a default value, a comment).</summary>
    public void WriteLine(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\n");
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer, _used);
        _used += bytes.Length;
    }

    /// <summary>Writes a key: a dotted address, with <c>/bits</c> unless <paramref name="bits"/> is 32.</summary>
    public void WriteKey(uint address, int bits = 32)
    {
        Reserve(20);
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            WriteNumber((address >> shift) & 255);
            _buffer[_used++] = shift == 0 ? (byte)(bits == 32 ? '\n' : '/') : (byte)'.';
        }
        if (bits != 32)
        {
            WriteNumber((uint)bits);
            _buffer[_used++] = (byte)'\n';
        }
    }

    private void WriteNumber(uint n)
    {
        if (n >= 100) _buffer[_used++] = (byte)('0' + n / 100);
        if (n >= 10) _buffer[_used++] = (byte)('0' + n / 10 % 10);
        _buffer[_used++] = (byte)('0' + n % 10);
    }

    private void Reserve(int bytes)
    {
        if (_used + bytes <= _buffer.Length) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Write(_buffer, 0, _used);
        _stream.Dispose();
    }
}
