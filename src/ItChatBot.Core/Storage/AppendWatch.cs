using System.Collections.Concurrent;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Storage;

/// <summary>
/// Which tickets got events appended within a piece of work, such as one conversation turn, whoever appended
/// them (the ticket service, a workflow, an approval), and the messages written with them. Whoever wants to know opens a
/// watch around the work; every <see cref="IEventLog"/> implementation reports each append with <see cref="Note"/> and,
/// once written, its messages with <see cref="NoteMessages"/>. The watch follows the async flow, so concurrent turns each
/// see only their own.
/// </summary>
public sealed class AppendWatch : IDisposable
{
    private static readonly AsyncLocal<AppendWatch?> Current = new();
    private readonly ConcurrentDictionary<string, byte> _tickets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OutboundMessage> _messages = new();
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

    /// <summary>The messages written with the appends (and a workflow's first messages), in the order they were written.</summary>
    public IReadOnlyList<OutboundMessage> Messages => [.. _messages];

    /// <summary>True when a watch is open in the current flow: a writer may skip the work of reporting otherwise.</summary>
    public static bool Watching => Current.Value is not null;

    /// <summary>Called with messages once they are written, in the writer's caller's flow.</summary>
    public static void NoteMessages(IReadOnlyList<OutboundMessage> messages)
    {
        for (var watch = Current.Value; watch is not null; watch = watch._outer)
        {
            foreach (var m in messages)
            {
                watch._messages.Enqueue(m);
            }
        }
    }

    /// <summary>Reports <paramref name="messages"/> once <paramref name="written"/> has succeeded (a failed write wrote none).</summary>
    public static Task<T> NoteMessagesWhenWritten<T>(Task<T> written, IReadOnlyList<OutboundMessage>? messages) =>
        messages is { Count: > 0 } && Watching ? After(written, messages) : written;

    private static async Task<T> After<T>(Task<T> written, IReadOnlyList<OutboundMessage> messages)
    {
        var result = await written;
        NoteMessages(messages);
        return result;
    }

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
