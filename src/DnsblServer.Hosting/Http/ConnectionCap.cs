using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace DnsblServer.Hosting.Http;

/// <summary>
/// Wraps Kestrel's socket transport so that a connection over the cap is closed inside the accept
/// loop, before the next accept. Kestrel's own <c>MaxConcurrentConnections</c> refuses such a
/// connection later, on a thread-pool item: when the pool is starved, an accept loop fed by a flood
/// runs ahead of those closes, the accepted sockets pile up to a low descriptor limit (256), and the
/// runtime itself then fails ("Out of memory."). Here the descriptors held are at most cap + 1.
/// </summary>
internal sealed class ConnectionCap(IConnectionListenerFactory inner, int cap) : IConnectionListenerFactory
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new Listener(await inner.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), cap);

    private sealed class Listener(IConnectionListener inner, int cap) : IConnectionListener
    {
        private int _open;

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var connection = await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (connection is null) return null;
                if (Interlocked.Increment(ref _open) <= cap) return new Counted(connection, this);
                Interlocked.Decrement(ref _open);
                await connection.DisposeAsync().ConfigureAwait(false); // closed now, not after a pool item runs
            }
        }

        public void Release() => Interlocked.Decrement(ref _open);

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    // the connection as Kestrel sees it; its disposal (once) gives the slot back
    private sealed class Counted(ConnectionContext inner, Listener owner) : ConnectionContext
    {
        private int _disposed;

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }
        public override IFeatureCollection Features => inner.Features;
        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }
        public override System.IO.Pipelines.IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }
        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }
        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }
        public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }
        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);
        public override void Abort() => inner.Abort();

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                owner.Release();
            }
        }
    }
}
