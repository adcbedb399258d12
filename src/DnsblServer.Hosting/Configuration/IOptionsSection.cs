using System.Diagnostics.CodeAnalysis;

namespace DnsblServer.Hosting.Configuration;

/// <summary>
/// Marks a nested options class under <c>Dnsbl:</c> (<see cref="TcpOptions"/>, <see cref="MetricsOptions"/>, ...): its keys
/// are checked for misspellings like the top level's (<see cref="SettingsPipeline"/>, which walks a default instance), and
/// its public properties stay readable by reflection in the trimmed Native AOT server (<c>GetType()</c> on this annotated
/// interface keeps them for every implementing class). A new nested options class implements it and is created by its
/// parent's initializer (<c>= new()</c>).
/// </summary>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
internal interface IOptionsSection;
