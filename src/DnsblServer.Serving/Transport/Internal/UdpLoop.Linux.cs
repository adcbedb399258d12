using System.Runtime.InteropServices;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>The Linux loop: raw <c>recvfrom</c>/<c>sendto</c> (see <see cref="LinuxUdp"/> for why), one datagram per call for now.</summary>
internal sealed partial class UdpLoop
{
    // sockaddr_in6 is 28 bytes; sockaddr_storage's 128 leaves room for anything.
    private readonly byte[] _address = GC.AllocateUninitializedArray<byte>(128, pinned: true);

    // The socket stays owned by the Socket object; the reference taken here keeps its descriptor
    // from being reused until the loop ends.
    private unsafe void RunLinux()
    {
        bool added = false;
        _socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)_socket.SafeHandle.DangerousGetHandle();
            fixed (byte* receive = _receive, response = _response, address = _address)
            {
                while (!_stopping)
                {
                    int addressLength = _address.Length;
                    nint received = LinuxUdp.RecvFrom(fd, receive, DatagramBufferBytes, 0, address, &addressLength);
                    if (_stopping) return;
                    if (received < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno != LinuxUdp.EINTR && errno != LinuxUdp.EAGAIN) _counters.Errors++;
                        continue;
                    }
                    ServeLinux(fd, receive, (int)received, response, address, addressLength);
                }
            }
        }
        finally
        {
            if (added) _socket.SafeHandle.DangerousRelease();
        }
    }

    // One datagram, kept out of the loop so it gets a normal optimised compile rather than on-stack replacement.
    private unsafe void ServeLinux(int fd, byte* receive, int received, byte* response, byte* address, int addressLength)
    {
        int length = Answer(new ReadOnlySpan<byte>(receive, received), new Span<byte>(response, ResponseBufferBytes),
            ClientAddress.FromSockaddr(new ReadOnlySpan<byte>(address, addressLength)));
        if (length == 0) return;
        Sent(LinuxUdp.SendTo(fd, response, (nuint)length, 0, address, addressLength) >= 0);
    }
}
