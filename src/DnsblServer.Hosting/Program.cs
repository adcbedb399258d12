using DnsblServer.Hosting.Explain;
using DnsblServer.Hosting.Serve;

// DnsblServer [serve] [rbldnsd options] zone:type:file[,file...]...   (see README.md)
// DnsblServer explain ZONE IP [options]                              why an address is (not) listed
return args.FirstOrDefault() switch
{
    "explain" => ExplainCommand.Run(args[1..], Console.Out, Console.Error),
    "serve" => await ServeCommand.RunAsync(args[1..]),
    _ => await ServeCommand.RunAsync(args),
};
