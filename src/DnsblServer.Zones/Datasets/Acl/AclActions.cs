namespace DnsblServer.Zones.Datasets.Acl;

/// <summary>How the global ACL and a zone's ACL settle together (rbldnsd ORs their flags into one query).</summary>
public static class AclActions
{
    /// <summary>
    /// The action that applies when both ACLs were consulted: ignore, then refuse, then empty, then
    /// always-listed; <see cref="AclAction.Pass"/> and <see cref="AclAction.None"/> add nothing.
    /// When both say always-listed, the global ACL's value is the one answered.
    /// </summary>
    public static AclAction Combine(AclAction global, AclAction zone) => ZoneWins(global, zone) ? zone : Normalize(global);

    /// <summary>True when the zone's action (and value) is the one that applies: it is stronger than the global one.</summary>
    public static bool ZoneWins(AclAction global, AclAction zone) => Rank(zone) > Rank(global);

    private static AclAction Normalize(AclAction action) => action == AclAction.Pass ? AclAction.None : action;

    private static int Rank(AclAction action) => action switch
    {
        AclAction.Ignore => 4,
        AclAction.Refuse => 3,
        AclAction.Empty => 2,
        AclAction.AlwaysListed => 1,
        _ => 0,
    };
}
