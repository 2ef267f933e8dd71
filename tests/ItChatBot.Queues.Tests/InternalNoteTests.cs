using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>Internal notes: kept among the team, never relayed, no response and no change to the ticket's status or clocks.</summary>
public sealed class InternalNoteTests
{
    [Fact]
    public async Task A_note_in_the_queue_thread_is_recorded_and_never_reaches_the_requester()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var queueThread = QueueIds.WebThread(ticket.Key, "IT");
        app.Clock.Advance(TimeSpan.FromMinutes(20));

        var replies = await app.SendAsync("alice", "Note: Erin sits in the Leeds office, the spare is there", "queue-it", queueThread);

        Assert.Contains(replies, m => m.Ephemeral && m.Text.Contains($"Internal note added to {ticket.Key}", StringComparison.Ordinal));
        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("Leeds", StringComparison.Ordinal));
        var note = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.NoteAdded);
        Assert.Equal(("alice", ActorKind.Agent, "Erin sits in the Leeds office, the spare is there"), (note.Actor, note.ActorKind, note.Get(EventData.Note)));

        // A note is no response: the response clock still runs, and the status is unchanged.
        var after = await app.TicketAsync(ticket.Key);
        Assert.Null(after.FirstResponseAt);
        Assert.Equal(ticket.Status, after.Status);

        // The queue card, updated in place, shows the latest note by name.
        var card = (await app.ConversationAsync("queue-it", "alice")).Last(m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Latest internal note: Alice Agent: Erin sits in the Leeds office", card.Text, StringComparison.Ordinal);

        // A reply without the prefix still reaches the requester, and is the first response.
        await app.SendAsync("alice", "The spare is on its way to you", "queue-it", queueThread);
        Assert.Contains(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("The spare is on its way", StringComparison.Ordinal));
        Assert.Equal(app.Clock.GetUtcNow(), (await app.TicketAsync(ticket.Key)).FirstResponseAt);
    }

    [Fact]
    public async Task The_note_verb_posts_the_note_in_the_queue_thread_for_the_team_only()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        var replies = await app.SendAsync("bob", $"/it note {ticket.Key} vendor RMA 4411, ships Tuesday");

        Assert.Contains(replies, m => m.Ephemeral && m.Conversation == "dm-bob" && m.Text.Contains("Its requester does not see it", StringComparison.Ordinal));
        var posted = Assert.Single(await app.ConversationAsync("queue-it", "alice"), m => m.Text.Contains("Internal note on", StringComparison.Ordinal));
        Assert.Equal(QueueIds.WebThread(ticket.Key, "IT"), posted.Thread);
        Assert.Contains("Bob Builder", posted.Text, StringComparison.Ordinal);
        Assert.Contains("vendor RMA 4411, ships Tuesday", posted.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("RMA", StringComparison.Ordinal));
        Assert.Equal("bob", Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.NoteAdded).Actor);
    }

    [Fact]
    public async Task Notes_from_outside_the_team_empty_or_too_long_are_refused_and_nothing_is_stored()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        var fromRequester = Assert.Single(await app.SendAsync("erin", $"/it note {ticket.Key} please hurry"));
        Assert.Contains("Only agents of the IT team can add a note to", fromRequester.Text, StringComparison.Ordinal);

        var fromSecurity = Assert.Single(await app.SendAsync("sam", "note: I can look at it", "queue-it", QueueIds.WebThread(ticket.Key, "IT")));
        Assert.Contains("Only agents of the IT team", fromSecurity.Text, StringComparison.Ordinal);

        var empty = Assert.Single(await app.SendAsync("alice", "note:   ", "queue-it", QueueIds.WebThread(ticket.Key, "IT")));
        Assert.Contains("The note was empty", empty.Text, StringComparison.Ordinal);
        Assert.Contains("Use: note:", empty.Text, StringComparison.Ordinal);

        var emptyVerb = Assert.Single(await app.SendAsync("alice", $"/it note {ticket.Key}"));
        Assert.Contains("The note was empty", emptyVerb.Text, StringComparison.Ordinal);
        Assert.Contains("/it note KEY text", emptyVerb.Text, StringComparison.Ordinal);

        var tooLong = Assert.Single(await app.SendAsync("alice", $"/it note {ticket.Key} {new string('x', QueueNotes.MaxLength + 1)}"));
        Assert.Contains("The note is 2,001 characters; a note holds at most 2,000.", tooLong.Text, StringComparison.Ordinal);

        Assert.All(new[] { fromRequester, fromSecurity, empty, emptyVerb, tooLong }, m => Assert.True(m.Ephemeral));
        Assert.Equal(before, (await app.EventsAsync(ticket.Key)).Count);
        Assert.DoesNotContain(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("look at it", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("note: parts ordered", "parts ordered")]
    [InlineData("  NOTE:parts ordered ", "parts ordered")]
    [InlineData("Note:", "")]
    [InlineData("notes: parts ordered", null)]
    [InlineData("A note: parts ordered", null)]
    [InlineData("Can you note: the cable?", null)]
    public void Only_a_message_that_starts_with_the_prefix_is_a_note(string text, string? note) =>
        Assert.Equal(note, QueueNotes.InThreadMessage(text));
}
