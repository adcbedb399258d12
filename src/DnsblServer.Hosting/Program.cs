using DnsblServer.Hosting.Serve;

// DnsblServer [rbldnsd options] zone:type:file[,file...]...   (see README.md)
return await ServeCommand.RunAsync(args);
