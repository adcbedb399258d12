using DnsblServer.Zones.Trie;

namespace DnsblServer.Zones.Datasets.Exempt;

/// <summary>
/// An exempt allow-list: addresses that are never answered as listed, whatever any dataset of the
/// zones it applies to says, at any prefix length. IPv4 entries live in the same range map as the
/// datasets; IPv6 entries (few, in practice) in sorted disjoint ranges.
/// </summary>
public sealed class ExemptDataset : Dataset
{
    private readonly Ip4RangeMap _ip4;
    private readonly UInt128[] _ip6First;
    private readonly UInt128[] _ip6Last;

    internal ExemptDataset(DatasetInfo info, Ip4RangeMap ip4, UInt128[] ip6First, UInt128[] ip6Last) : base(info, DatasetKind.Exempt)
    {
        _ip4 = ip4;
        _ip6First = ip6First;
        _ip6Last = ip6Last;
    }

    /// <summary>True when <paramref name="address"/> (host order) is exempt.</summary>
    public bool Contains(uint address) => _ip4.Find(address) != 0;

    /// <summary>True when the IPv6 <paramref name="address"/> is exempt.</summary>
    public bool Contains(UInt128 address)
    {
        int lo = 0, hi = _ip6First.Length - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ip6First[mid] <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found >= 0 && _ip6Last[found] >= address;
    }

    /// <summary>IPv4 entries as stored (merged).</summary>
    public Ip4RangeMap Ip4 => _ip4;

    /// <summary>IPv6 ranges as stored (merged).</summary>
    public int Ip6RangeCount => _ip6First.Length;

    /// <inheritdoc />
    public override long EntryCount => _ip4.SingleCount + _ip4.RangeCount + _ip6First.Length;

    /// <inheritdoc />
    public override long SizeInBytes => _ip4.SizeInBytes + _ip6First.Length * 32L;
}
