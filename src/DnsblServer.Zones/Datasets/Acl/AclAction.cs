namespace DnsblServer.Zones.Datasets.Acl;

/// <summary>What an ACL entry says about a client (rbldnsd_acl.c keywords and the A:TXT form).</summary>
public enum AclAction : byte
{
    /// <summary>No ACL entry covers the client: answer normally.</summary>
    None = 0,

    /// <summary><c>:ignore</c> / <c>:blackhole</c> (and an entry without action unless a default line says otherwise): send no reply at all.</summary>
    Ignore,

    /// <summary><c>:refuse</c>: answer every query of the zone (apex metadata included) with REFUSED, without AA.</summary>
    Refuse,

    /// <summary><c>:empty</c>: the zone's datasets find nothing; apex SOA/NS still answered.</summary>
    Empty,

    /// <summary><c>:pass</c>: answer normally (a hole in a larger entry); same effect as <see cref="None"/>.</summary>
    Pass,

    /// <summary>An A:TXT value: every query a dataset would look up is answered as listed with this value, <c>$</c> = the client address.</summary>
    AlwaysListed,
}
