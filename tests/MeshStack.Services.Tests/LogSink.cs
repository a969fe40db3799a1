using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MeshStack.Services.Tests;

/// <summary>One log entry as a host wrote it: level, category, message and its structured values.</summary>
public sealed record LogEntry(LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, object?> Values);

/// <summary>A logger provider that keeps every entry, to see what an operator would see.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            sink._entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception),
                values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)));
        }
    }
}
