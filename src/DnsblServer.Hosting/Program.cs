using DnsblServer.Hosting.Verbs;

// DnsblServer [verb] [options]: the verbs are listed once, in Verbs/VerbRegistry.cs (see Verbs/README.md)
return await VerbRegistry.RunAsync(args, VerbContext.Console).ConfigureAwait(false);
