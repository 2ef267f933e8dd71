using System.Globalization;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Queues;

/// <summary>
/// Internal notes: what agents write about a ticket among themselves, as Jira Service Management's internal comments
/// and Freshservice's private notes. A message in a queue thread that starts with <c>note:</c>, or <c>/it note KEY
/// text</c>, is recorded as <see cref="EventType.NoteAdded"/> and never reaches the requester.
/// </summary>
public static class QueueNotes
{
    public const string Prefix = "note:";

    /// <summary>The longest note kept; a longer one is refused rather than cut, so nothing written is lost unseen.</summary>
    public const int MaxLength = 2000;

    /// <summary>The note in a queue-thread message that starts with <see cref="Prefix"/> (any case), or null for a reply to the requester.</summary>
    public static string? InThreadMessage(string text)
    {
        var trimmed = text.TrimStart();
        return trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? trimmed[Prefix.Length..].Trim() : null;
    }

    /// <summary>Refuses an empty or over-long note, naming what was wrong.</summary>
    public static string Check(string note, string usage)
    {
        var text = note.Trim();
        if (text.Length == 0)
        {
            throw new UsageException("The note was empty; nothing was recorded.", usage);
        }

        return text.Length <= MaxLength
            ? text
            : throw new UsageException(
                string.Create(CultureInfo.InvariantCulture, $"The note is {text.Length:N0} characters; a note holds at most {MaxLength:N0}. Nothing was recorded."),
                usage);
    }

    public static TicketEvent Event(Ticket ticket, DateTimeOffset now, string agent, string note) =>
        TicketEvent.New(ticket.Key, EventType.NoteAdded, now, agent, ActorKind.Agent, new Dictionary<string, string> { [EventData.Note] = note });

    /// <summary>The ticket's latest note, if any.</summary>
    public static TicketEvent? Latest(IReadOnlyList<TicketEvent> events)
    {
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].Type == EventType.NoteAdded)
            {
                return events[i];
            }
        }

        return null;
    }
}
