using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

public sealed class DuplicateTests
{
    [Fact]
    public async Task A_duplicate_is_resolved_and_its_requester_told_now_and_again_when_the_original_is_resolved()
    {
        using var app = new QueueApp();
        var (original, _) = await app.OpenAsync("the wifi is down on floor 3", "erin");
        var (duplicate, thread) = await app.OpenAsync("wifi not working on the third floor", "frank");

        var replies = await app.SendAsync("alice", $"/it duplicate {duplicate.Key} of {original.Key}");

        Assert.Contains(replies, m => m.Ephemeral && m.Text.Contains($"{duplicate.Key} is resolved as a duplicate of {original.Key}", StringComparison.Ordinal));
        Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync(duplicate.Key)).Status);
        var resolution = Assert.Single(await app.EventsAsync(duplicate.Key), e => e.Type == EventType.Resolved);
        Assert.Equal((original.Key, "alice", ActorKind.Agent), (resolution.Get(QueueEventData.DuplicateOf), resolution.Actor, resolution.ActorKind));
        var link = Assert.Single(await app.EventsAsync(original.Key), e => e.Type == EventType.DuplicateLinked);
        Assert.Equal(duplicate.Key, link.Get(QueueEventData.Duplicate));
        Assert.True((await app.TicketAsync(original.Key)).IsOpen);
        Assert.Contains(await app.ConversationAsync("dm-frank", "frank"), m => m.Thread == thread && m.Title == $"{duplicate.Key} is the same as {original.Key}");
        var queue = await app.ConversationAsync("queue-it", "alice");
        Assert.Contains(queue, m => m.UpdateOf == QueueIds.PostMessage(original.Key, "IT", "web") && m.Text.Contains($"Also reported as: {duplicate.Key}", StringComparison.Ordinal));
        Assert.Contains(queue, m => m.Text.Contains($"Frank Field reported the same problem in {duplicate.Key}", StringComparison.Ordinal));

        await app.SendAsync("alice", $"/it resolve {original.Key} restarted the access point");

        var told = Assert.Single(await app.ConversationAsync("dm-frank", "frank"), m => m.Title == $"{original.Key} is resolved");
        Assert.Equal(thread, told.Thread);
        Assert.Contains("restarted the access point", told.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_reopened_since_is_a_request_of_its_own_and_is_not_told_of_the_original()
    {
        using var app = new QueueApp();
        var (original, _) = await app.OpenAsync("the wifi is down on floor 3", "erin");
        var (duplicate, thread) = await app.OpenAsync("wifi not working on the third floor", "frank");
        await app.SendAsync("alice", $"/it duplicate {duplicate.Key} of {original.Key}");

        await app.SendAsync("frank", "no, it is my laptop only, the others are fine", "dm-frank", thread);
        Assert.True((await app.TicketAsync(duplicate.Key)).IsOpen);
        await app.SendAsync("alice", $"/it resolve {original.Key} restarted the access point");

        Assert.DoesNotContain(await app.ConversationAsync("dm-frank", "frank"), m => m.Title == $"{original.Key} is resolved");
    }

    [Fact]
    public async Task A_ticket_a_workflow_is_running_on_takes_no_duplicates_since_its_end_would_fix_nothing_for_them()
    {
        using var app = new QueueApp();
        var (automated, _) = await app.OpenAsync("I need access to Figma for 3 days");
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(automated.Key)).Status);
        var (duplicate, _) = await app.OpenAsync("figma crashes when I open the shared designs", "frank");
        var counts = (Automated: (await app.EventsAsync(automated.Key)).Count, Duplicate: (await app.EventsAsync(duplicate.Key)).Count);

        var reply = Assert.Single(await app.SendAsync("alice", $"/it duplicate {duplicate.Key} of {automated.Key}"));

        Assert.True(reply.Ephemeral);
        Assert.Contains($"A workflow is running on {automated.Key}", reply.Text, StringComparison.Ordinal);
        Assert.Contains($"/it override {automated.Key} cancel", reply.Text, StringComparison.Ordinal);
        Assert.Equal(counts, ((await app.EventsAsync(automated.Key)).Count, (await app.EventsAsync(duplicate.Key)).Count));
    }

    [Fact]
    public async Task An_original_withdrawn_by_its_requester_names_its_waiting_duplicates_in_its_queue_thread()
    {
        using var app = new QueueApp();
        var (original, _) = await app.OpenAsync("the wifi is down on floor 3", "erin");
        var (waiting, thread) = await app.OpenAsync("wifi not working on the third floor", "frank");
        var (reopened, _) = await app.OpenAsync("no wifi on floor 3 since 9am", "fiona");
        await app.SendAsync("alice", $"/it duplicate {waiting.Key} of {original.Key}");
        await app.SendAsync("alice", $"/it duplicate {reopened.Key} of {original.Key}");
        await app.SendAsync("alice", $"/it reopen {reopened.Key}");

        await app.ActAsync("erin", "ticket.withdraw", original.Key, conversation: "dm-erin");

        Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync(original.Key)).Status);
        var notice = Assert.Single(await app.ConversationAsync("queue-it", "alice"), m => m.Text.Contains($"withdrew {original.Key}", StringComparison.Ordinal));
        Assert.Equal(QueueIds.WebThread(original.Key, "IT"), notice.Thread);
        Assert.Contains($"Erin Employee withdrew {original.Key}, but {waiting.Key} was resolved as a duplicate of it", notice.Text, StringComparison.Ordinal);
        Assert.Contains($"/it reopen {waiting.Key}", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(reopened.Key, notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.ConversationAsync("dm-frank", "frank"), m => m.Thread == thread && m.Title == $"{original.Key} is resolved");
    }

    [Fact]
    public async Task A_withdrawn_request_with_no_duplicates_adds_nothing_to_its_queue_thread()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my monitor flickers all day", "erin");

        await app.ActAsync("erin", "ticket.withdraw", ticket.Key, conversation: "dm-erin");

        Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync(ticket.Key)).Status);
        Assert.DoesNotContain(await app.ConversationAsync("queue-it", "alice"), m => m.Text.Contains("withdrew", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alice", "/it duplicate {1} of {1}", "cannot be a duplicate of itself")]
    [InlineData("alice", "/it duplicate {1}", "A duplicate of which ticket?")]
    [InlineData("alice", "/it duplicate {1} of banana", "'banana' is not a ticket key")]
    [InlineData("alice", "/it duplicate {1} of {0} now", "'now' was not expected")]
    [InlineData("alice", "/it duplicate {1} of {2}", "escalate")]
    [InlineData("alice", "/it duplicate {1} of {3}", "is resolved; resolve")]
    [InlineData("erin", "/it duplicate {1} of {0}", "Only agents of the IT team")]
    public async Task A_duplicate_that_cannot_be_is_refused_with_the_reason_and_nothing_stored(string person, string command, string problem)
    {
        using var app = new QueueApp();
        var (original, _) = await app.OpenAsync("the wifi is down on floor 3", "erin");
        var (duplicate, _) = await app.OpenAsync("wifi not working on the third floor", "frank");
        var (security, _) = await app.OpenAsync("I got a phishing email from our CEO", "erin");
        var (resolved, _) = await app.OpenAsync("my monitor flickers all day", "erin");
        await app.SendAsync("alice", $"/it resolve {resolved.Key} replaced the cable");
        Assert.Equal("Security", security.Team);
        var keys = new[] { original.Key, duplicate.Key, security.Key, resolved.Key };
        var counts = await Task.WhenAll(keys.Select(async k => (await app.EventsAsync(k)).Count));

        var reply = Assert.Single(await app.SendAsync(person, string.Format(System.Globalization.CultureInfo.InvariantCulture, command, keys.Cast<object>().ToArray())));

        Assert.True(reply.Ephemeral);
        Assert.Contains(problem, reply.Text, StringComparison.Ordinal);
        Assert.Equal(counts, await Task.WhenAll(keys.Select(async k => (await app.EventsAsync(k)).Count)));
    }
}
