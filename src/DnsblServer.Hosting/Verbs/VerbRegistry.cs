using DnsblServer.Hosting.Configuration;

namespace DnsblServer.Hosting.Verbs;

/// <summary>
/// Every verb, once (CoreDNS's <c>plugin.Register</c>, STYLE.md 14): a new verb is a folder under <c>Verbs/</c> and a
/// line here. The first is the default, so an rbldnsd command line (no verb) serves.
/// </summary>
internal static class VerbRegistry
{
    /// <summary>The verbs, default first.</summary>
    public static IReadOnlyList<Verb> All { get; } =
    [
        Serve.ServeVerb.Verb,
        Check.CheckVerb.Verb,
        Dump.DumpVerb.Verb,
        Explain.ExplainVerb.Verb,
    ];

    /// <summary>Finds the verb named by the first argument; else the default verb with all arguments.</summary>
    public static (Verb Verb, string[] Args) Select(string[] args) =>
        args.Length > 0 && All.FirstOrDefault(v => v.Name == args[0]) is { } verb ? (verb, args[1..]) : (All[0], args);

    /// <summary>Runs the verb the arguments name (<c>help</c>, <c>--help</c> and <c>-h</c> alone list them).</summary>
    public static Task<int> RunAsync(string[] args, VerbContext context)
    {
        if (args is ["help" or "--help" or "-h", ..])
        {
            context.Output.Write(Help());
            return Task.FromResult(0);
        }
        var (verb, rest) = Select(args);
        return verb.RunAsync(rest, context);
    }

    /// <summary>The top-level help: the verbs, then serve's options.</summary>
    public static string Help()
    {
        var text = new System.Text.StringBuilder("Usage: DnsblServer [verb] [options]\nVerbs:\n");
        foreach (var verb in All)
        {
            text.Append($"  {verb.Name,-8} {verb.Summary.ReplaceLineEndings("\n           ")}\n");
        }
        text.Append("DnsblServer VERB --help shows a verb's own options.\n\n").Append(RbldnsdCommandLine.Usage).Append('\n');
        return text.ToString();
    }
}
