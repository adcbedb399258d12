using System.Runtime.InteropServices;
using static DnsblServer.Serving.Transport.Internal.LinuxUdp;

namespace DnsblServer.Serving.Transport.Internal;

/// <summary>
/// The Linux loop: <c>recvmmsg</c> with <c>MSG_WAITFORONE</c> blocks for one datagram and takes every
/// other one already queued (up to <see cref="Batch"/>) in the same call; their answers leave in one
/// <c>sendmmsg</c>. Under load that is two system calls and one wake-up for a batch instead of two
/// calls and a wake-up per query; when queries trickle in, it is the same as <c>recvfrom</c>/<c>sendto</c>.
/// </summary>
/// <remarks>
/// Each datagram lands in a slot of <see cref="SlotBytes"/>; a longer one (no DNS query is, but no
/// datagram is ever truncated) runs on into the loop's 64 KiB <c>_receive</c> buffer, which every slot
/// shares as its second iovec, and is put together there. If two long datagrams arrive in one batch
/// the earlier one's tail was overwritten by the later one: it is counted as an error and not answered.
/// </remarks>
internal sealed partial class UdpLoop
{
    /// <summary>Datagrams taken per <c>recvmmsg</c>, answers sent per <c>sendmmsg</c>.</summary>
    internal const int Batch = 16;

    // Room for any DNS query, with a PROXY header in front; longer ones spill (see remarks).
    private const int SlotBytes = 2048;

    /// <summary>Sleep after a partial batch of two or more (see <see cref="TransportOptions.UdpBatchWaitMicroseconds"/>); 0 = none.</summary>
    public int BatchWaitMicroseconds { get; init; }

    // sockaddr_storage; AF_INET6 needs 28.
    private const int AddressBytes = 128;

    // The socket stays owned by the Socket object; the reference taken here keeps its descriptor
    // from being reused until the loop ends. Everything the calls point into is allocated and pinned
    // once here, for the loop's life: 32 KiB of slots, 64 KiB of answers, 2 KiB of addresses, headers.
    private unsafe void RunLinux()
    {
        byte[] slots = GC.AllocateUninitializedArray<byte>(Batch * SlotBytes, pinned: true);
        byte[] responses = GC.AllocateUninitializedArray<byte>(Batch * ResponseBufferBytes, pinned: true);
        byte[] addresses = GC.AllocateUninitializedArray<byte>(Batch * AddressBytes, pinned: true);
        MMsgHdr[] received = GC.AllocateArray<MMsgHdr>(Batch, pinned: true);
        IoVec[] receivedIov = GC.AllocateArray<IoVec>(2 * Batch, pinned: true);
        MMsgHdr[] answers = GC.AllocateArray<MMsgHdr>(Batch, pinned: true);
        IoVec[] answersIov = GC.AllocateArray<IoVec>(Batch, pinned: true);

        bool added = false;
        _socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)_socket.SafeHandle.DangerousGetHandle();
            fixed (byte* slot = slots, spill = _receive, address = addresses, response = responses)
            fixed (MMsgHdr* inbound = received, outbound = answers)
            fixed (IoVec* inboundIov = receivedIov, outboundIov = answersIov)
            {
                for (int i = 0; i < Batch; i++)
                {
                    inboundIov[2 * i] = new IoVec { Base = slot + i * SlotBytes, Length = SlotBytes };
                    inboundIov[2 * i + 1] = new IoVec { Base = spill + SlotBytes, Length = DatagramBufferBytes - SlotBytes };
                    inbound[i].Header = new MsgHdr { Name = address + i * AddressBytes, NameLength = AddressBytes, Iov = inboundIov + 2 * i, IovLength = 2 };
                    outbound[i].Header = new MsgHdr { Iov = outboundIov + i, IovLength = 1 };
                }
                TimeSpec wait = new() { Nanoseconds = BatchWaitMicroseconds * 1000 };
                bool waits = BatchWaitMicroseconds != 0;
                while (!_stopping)
                {
                    int count = RecvMMsg(fd, inbound, Batch, MsgWaitForOne, null);
                    if (_stopping) return;
                    if (count < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno != EINTR && errno != EAGAIN) _counters.Errors++;
                        continue;
                    }
                    ServeLinux(fd, inbound, count, outbound, response, spill);
                    // several were queued: the load is up, let the next batch gather (a full batch means more are waiting already)
                    if (waits && count > 1 && count < Batch) NanoSleep(&wait, null);
                }
            }
        }
        finally
        {
            if (added) _socket.SafeHandle.DangerousRelease();
        }
    }

    // One batch, kept out of the loop so it gets a normal optimised compile rather than on-stack
    // replacement: each datagram to Answer, then the answers in as few sendmmsg calls as the kernel allows.
    private unsafe void ServeLinux(int fd, MMsgHdr* inbound, int count, MMsgHdr* outbound, byte* responses, byte* spill)
    {
        int whole = -1; // the last datagram that spilled is whole in spill
        for (int i = count - 1; i >= 0; i--)
        {
            if (inbound[i].Length > SlotBytes) { whole = i; break; }
        }

        int sending = 0;
        for (int i = 0; i < count; i++)
        {
            ref MsgHdr header = ref inbound[i].Header;
            int length = (int)inbound[i].Length;
            int addressLength = (int)Math.Min(header.NameLength, AddressBytes);
            header.NameLength = AddressBytes; // ready for the next recvmmsg
            byte* datagram = header.Iov[0].Base;
            if (length > SlotBytes)
            {
                if (i != whole)
                {
                    _counters.Received++;
                    _counters.Errors++;
                    continue;
                }
                Buffer.MemoryCopy(datagram, spill, SlotBytes, SlotBytes);
                datagram = spill;
            }
            byte* response = responses + i * ResponseBufferBytes;
            int answer = Answer(new ReadOnlySpan<byte>(datagram, length), new Span<byte>(response, ResponseBufferBytes),
                ClientAddress.FromSockaddr(new ReadOnlySpan<byte>(header.Name, addressLength)));
            if (answer == 0) continue;
            ref MsgHdr reply = ref outbound[sending++].Header;
            reply.Name = header.Name;
            reply.NameLength = (uint)addressLength;
            reply.Iov->Base = response;
            reply.Iov->Length = (nuint)answer;
        }

        for (int start = 0; start < sending;)
        {
            int sent = SendMMsg(fd, outbound + start, (uint)(sending - start), 0);
            if (sent < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
            if (sent <= 0)
            {
                // the first answer left failed (sendmmsg reports it only when it is the first): count it, send the rest
                Sent(ok: false);
                start++;
                continue;
            }
            for (int k = 0; k < sent; k++) Sent(ok: true);
            start += sent;
        }
    }
}
