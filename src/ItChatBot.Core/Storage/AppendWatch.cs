using System.Collections.Concurrent;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Storage;

/// <summary>
/// Which tickets got events appended within a piece of work, such as one conversation turn, whoever appended
/// them (the ticket service, a workflow, an approval). Whoever wants to know opens a watch around the work;
/// every <see cref="IEventLog"/> implementation reports each append with <see cref="Note"/>. The watch follows
/// the async flow, so concurrent turns each see only their own tickets.
/// </summary>
public sealed class AppendWatch : IDisposable
{
    private static readonly AsyncLocal<AppendWatch?> Current = new();
    private readonly ConcurrentDictionary<string, byte> _tickets = new(StringComparer.Ordinal);
    private readonly AppendWatch? _outer;

    private AppendWatch(AppendWatch? outer) => _outer = outer;

    /// <summary>Watches the appends of the current async flow until disposed.</summary>
    public static AppendWatch Begin()
    {
        var watch = new AppendWatch(Current.Value);
        Current.Value = watch;
        return watch;
    }

    public IReadOnlyCollection<string> Tickets => [.. _tickets.Keys];

    /// <summary>Called by the log for every append it is asked for, in the caller's flow.</summary>
    public static void Note(IEnumerable<TicketEvent> events)
    {
        if (Current.Value is null)
        {
            return;
        }

        foreach (var e in events)
        {
            if (e.Ticket is not { } key)
            {
                continue;
            }

            for (var watch = Current.Value; watch is not null; watch = watch._outer)
            {
                watch._tickets.TryAdd(key, 0);
            }
        }
    }

    public void Dispose() => Current.Value = _outer;
}
