Console.WriteLine("DnsblServer");
