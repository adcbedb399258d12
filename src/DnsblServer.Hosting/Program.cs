using DnsblServer.Hosting.Check;
using DnsblServer.Hosting.Configuration;
using DnsblServer.Hosting.Explain;
using DnsblServer.Hosting.Serve;

// DnsblServer [serve] [rbldnsd options] zone:type:file[,file...]...   (see README.md)
// DnsblServer check [same settings as serve]                          validate configuration and zone files
// DnsblServer dump [rbldnsd options] zone:type:file...                 the zones in BIND format (rbldnsd -d)
// DnsblServer explain ZONE IP [options]                              why an address is (not) listed
return args.FirstOrDefault() switch
{
    "check" => CheckCommand.Run(args[1..], Console.Out, Console.Error),
    "dump" => await ServeCommand.RunAsync(["-d", .. args[1..]]),
    "explain" => ExplainCommand.Run(args[1..], Console.Out, Console.Error),
    "serve" => await ServeCommand.RunAsync(args[1..]),
    "help" or "--help" or "-h" => Help(),
    _ => await ServeCommand.RunAsync(args),
};

static int Help()
{
    Console.Out.Write("""
        Usage: DnsblServer [verb] [options]
        Verbs:
          serve    answer queries (the default when no verb is given: an rbldnsd command line works as is)
          check    validate the configuration and every zone file; print all warnings as file:line
                   (exit 0 ok, 1 a dataset fails to load, 2 bad configuration)
          dump     print the zones as a BIND master file and exit (rbldnsd -d)
          explain  ZONE IP: every entry and exemption covering the address, and the answer given
        DnsblServer VERB --help shows a verb's own options.

        """);
    Console.Out.WriteLine(RbldnsdCommandLine.Usage);
    return 0;
}
