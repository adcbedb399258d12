using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace DnsblServer.Hosting.Serve;

/// <summary>
/// systemd <c>Type=notify</c>: <see cref="SystemdLifetime"/> sends READY=1 when the host has started and
/// STOPPING=1 when it stops. The host starts only after the serve verb has loaded the zones
/// once and bound every listener, so READY means "answering".
/// </summary>
/// <remarks>
/// Unlike <c>AddSystemd()</c>, which activates only when the parent process is systemd (or we are PID 1),
/// this keys on <c>NOTIFY_SOCKET</c>, the variable systemd sets for Type=notify units: the same behaviour
/// under systemd, and testable by any parent that sets the variable. Log lines keep their own format.
/// </remarks>
internal static class SystemdReadiness
{
    /// <summary>Registers the notifier and lifetime when a notify socket is given; otherwise does nothing.</summary>
    public static void AddIfRequested(IServiceCollection services)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))) return;
        services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton<IHostLifetime, SystemdLifetime>();
    }
}
