namespace DnsblServer.Hosting.Serve;

/// <summary>
/// Notices changes to zone and exempt files as they happen (inotify through FileSystemWatcher) and
/// asks for a reload check once the files have been quiet for a moment, so a file being written is
/// not read half-way (the check also compares mtime and size before and after reading, and the
/// check interval stays as the fallback when events are missed).
/// </summary>
internal sealed class ZoneFileWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _quiet;
    private readonly TimeSpan _settle;
    private readonly string[] _files;
    private bool _disposed;

    /// <summary>Will watch <paramref name="files"/> from <see cref="Start"/> on; calls <paramref name="changed"/> <paramref name="settle"/> after the last event.</summary>
    public ZoneFileWatcher(IEnumerable<string> files, TimeSpan settle, Action changed)
    {
        _settle = settle;
        _files = [.. files];
        _quiet = new Timer(_ => changed(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// Starts watching. Kept apart from the constructor so it runs once the server answers: starting a
    /// FileSystemWatcher starts its inotify thread and spins (Thread.Yield) until that thread runs, which on a busy
    /// 2-CPU machine was half of an idle server's 47 ms to its first answer.
    /// </summary>
    public void Start()
    {
        lock (_watchers)
        {
            if (_disposed || _watchers.Count > 0) return;
            Watch();
        }
    }

    private void Watch()
    {
        foreach (var directory in _files.Select(Path.GetFullPath).GroupBy(f => Path.GetDirectoryName(f)!))
        {
            if (!Directory.Exists(directory.Key)) continue;
            var names = directory.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var watcher = new FileSystemWatcher(directory.Key)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            void OnEvent(object sender, FileSystemEventArgs e)
            {
                // rsync and editors write a temporary file and rename it over the real one
                if (names.Contains(e.Name ?? "") || (e is RenamedEventArgs r && names.Contains(r.OldName ?? ""))) Poke();
            }
            watcher.Changed += OnEvent;
            watcher.Created += OnEvent;
            watcher.Deleted += OnEvent;
            watcher.Renamed += (s, e) => OnEvent(s, e);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Number of directories watched.</summary>
    public int DirectoryCount
    {
        get
        {
            lock (_watchers) return _watchers.Count;
        }
    }

    private void Poke() => _quiet.Change(_settle, Timeout.InfiniteTimeSpan);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_watchers)
        {
            _disposed = true;
            foreach (var watcher in _watchers) watcher.Dispose();
        }
        _quiet.Dispose();
    }
}
