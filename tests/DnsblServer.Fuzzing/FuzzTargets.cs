using DnsblServer.Fuzzing.Targets;

namespace DnsblServer.Fuzzing;

/// <summary>Every target, one line each (STYLE 14): a new target is one class, one line here and a corpus/NAME/ folder.</summary>
internal static class FuzzTargets
{
    // factories: a target sets up (zones, scratch files) only when it is the one run
    private static readonly (string Name, Func<IFuzzTarget> Create)[] All =
    [
        ("query", () => new QueryTarget()),
        ("ip4set", () => new DatasetTarget("ip4set")),
        ("ip4tset", () => new DatasetTarget("ip4tset")),
        ("ip4trie", () => new DatasetTarget("ip4trie")),
        ("ip6tset", () => new DatasetTarget("ip6tset")),
        ("ip6trie", () => new DatasetTarget("ip6trie")),
        ("dnset", () => new DatasetTarget("dnset")),
        ("generic", () => new DatasetTarget("generic")),
        ("combined", () => new DatasetTarget("combined")),
        ("exempt", () => new DatasetTarget("exempt")),
        ("acl", () => new DatasetTarget("acl")),
        ("journal", () => new JournalTarget()),
        ("admin-entries", () => new AdminEntryTarget()),
        ("proxy", () => new ProxyHeaderTarget()),
        ("cookie", () => new CookieTarget()),
    ];

    /// <summary>The target names, in order.</summary>
    public static IEnumerable<string> Names => All.Select(t => t.Name);

    /// <summary>Sets up the named target; null for an unknown name.</summary>
    public static IFuzzTarget? Create(string name) => All.FirstOrDefault(t => t.Name == name).Create?.Invoke();
}
