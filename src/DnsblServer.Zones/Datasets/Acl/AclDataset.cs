using System.Buffers.Binary;
using DnsblServer.Addressing;
using DnsblServer.Zones.Trie;
using DnsblServer.Zones.Values;

namespace DnsblServer.Zones.Datasets.Acl;

/// <summary>
/// An acl dataset after the build: what to do with a query, keyed by the client's address (not the
/// queried one). IPv4 entries live in the same range map as ip4trie (longest prefix), IPv6 entries
/// in the ip6trie longest-prefix map. Used as the global ACL (<c>:acl:file</c>) or a zone's ACL; see
/// README.md for how the resolver applies each action.
/// </summary>
public sealed class AclDataset : Dataset
{
    /// <summary>Room <see cref="FormatClientAddress"/> needs.</summary>
    public const int MaxClientAddressLength = Ip6Text.MaxClientTextLength;

    private readonly Ip4RangeMap _ip4;
    private readonly Ip6RangeMap _ip6;
    private readonly ValueSets _sets;
    private readonly AclAction[] _actions; // per set id; set 0 = no entry

    internal AclDataset(DatasetInfo info, Ip4RangeMap ip4, Ip6RangeMap ip6, ValueSets sets, AclAction[] actions) : base(info, DatasetKind.Acl)
    {
        _ip4 = ip4;
        _ip6 = ip6;
        _sets = sets;
        _actions = actions;
    }

    /// <summary>
    /// The action for a client: its longest matching prefix. Allocation-free.
    /// </summary>
    /// <param name="clientAddress">
    /// 4 bytes (a client on an IPv4 socket) or 16 bytes (a client on an IPv6 socket), network order.
    /// 16 bytes are always looked up among the IPv6 entries, v4-mapped ones included: rbldnsd on a
    /// dual-stack <c>-b ::</c> socket sees an IPv4 client as <c>::ffff:a.b.c.d</c> and only
    /// <c>::ffff:0:0/96</c>-style entries match it. Pass 4 bytes wherever rbldnsd would have had an
    /// IPv4 socket, even if the transport received the datagram on a dual-mode socket.
    /// </param>
    /// <param name="listedValue">For <see cref="AclAction.AlwaysListed"/>, the one value to answer
    /// (A, and TXT with <c>$</c> = the client address text); otherwise empty.</param>
    public AclAction Lookup(ReadOnlySpan<byte> clientAddress, out ReadOnlySpan<DnsblValue> listedValue)
    {
        int set = clientAddress.Length switch
        {
            4 => _ip4.Find(BinaryPrimitives.ReadUInt32BigEndian(clientAddress)),
            16 => _ip6.Find(BinaryPrimitives.ReadUInt128BigEndian(clientAddress)),
            _ => 0,
        };
        AclAction action = _actions[set];
        listedValue = action == AclAction.AlwaysListed ? _sets[set] : default;
        return action;
    }

    /// <summary>
    /// Writes the client address as rbldnsd substitutes it for <c>$</c> in an always-listed TXT
    /// (getnameinfo, numeric): dotted IPv4; IPv6 as glibc's inet_ntop writes it, so a v4-mapped
    /// client is <c>::ffff:127.0.0.1</c>. Allocation-free.
    /// </summary>
    /// <param name="clientAddress">4 or 16 bytes, network order.</param>
    /// <param name="destination">At least <see cref="MaxClientAddressLength"/> bytes.</param>
    /// <returns>The number of bytes written; 0 for another length.</returns>
    public static int FormatClientAddress(ReadOnlySpan<byte> clientAddress, Span<byte> destination) => clientAddress.Length switch
    {
        4 => Ip4Text.Format(BinaryPrimitives.ReadUInt32BigEndian(clientAddress), destination),
        16 => Ip6Text.FormatClient(BinaryPrimitives.ReadUInt128BigEndian(clientAddress), destination),
        _ => 0,
    };

    /// <summary>The IPv4 entries as stored (set ids; for dumps and status).</summary>
    public Ip4RangeMap Ip4 => _ip4;

    /// <summary>Number of disjoint IPv6 ranges the IPv6 entries became.</summary>
    public long Ip6EntryCount => _ip6.BlockCount + _ip6.SingleCount + _ip6.RangeCount;

    /// <summary>The action of set <paramref name="set"/> (as found in <see cref="Ip4"/>).</summary>
    public AclAction ActionOf(int set) => _actions[set];

    /// <inheritdoc />
    public override long EntryCount => _ip4.SingleCount + _ip4.RangeCount + Ip6EntryCount;

    /// <inheritdoc />
    public override long SizeInBytes => _ip4.SizeInBytes + _ip6.SizeInBytes + _sets.SizeInBytes + _actions.Length;
}
