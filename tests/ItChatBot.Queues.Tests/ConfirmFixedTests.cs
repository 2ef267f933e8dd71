using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// The requester says the team's answer fixed it ("That fixed it" on an agent's reply, or the question after "works now,
/// thanks"): the request is resolved by them, rather than left open with its SLA clock running until an agent looks.
/// </summary>
public sealed class ConfirmFixedTests
{
    private static string FixedButton(string key) => $"data-action-id=\"{TicketActions.Fixed}\" data-value=\"{key}\"";

    [Fact]
    public async Task An_agents_reply_carries_the_button_and_pressing_it_resolves_the_request_for_the_requester()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", "Try the other cable, that usually fixes it.", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));
        var reply = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("Try the other cable", StringComparison.Ordinal));
        Assert.Contains(FixedButton(ticket.Key), reply.Html, StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromMinutes(30));

        var answer = await app.ActAsync("erin", TicketActions.Fixed, ticket.Key, conversation: "dm-erin", thread: thread);

        var resolved = await app.TicketAsync(ticket.Key);
        Assert.Equal((TicketStatus.Resolved, app.Clock.GetUtcNow()), (resolved.Status, resolved.ResolvedAt));
        var resolution = (await app.EventsAsync(ticket.Key)).Last();
        Assert.Equal((EventType.Resolved, "erin", ActorKind.Requester), (resolution.Type, resolution.Actor, resolution.ActorKind));
        Assert.Equal(("requester", QueueDesk.ConfirmedFixed), (resolution.Get(EventData.By), resolution.Get(EventData.Note)));
        Assert.Contains(answer, m => m.Conversation == "dm-erin" && m.Thread == thread
            && m.Text.StartsWith($"{ticket.Key}: my laptop screen is flickering\nResolved: thanks for confirming it's fixed. If it breaks again within 7 days, say so here and {ticket.Key} reopens.", StringComparison.Ordinal));

        // The queue hears of it, and its card shows the resolution.
        var queue = await app.ConversationAsync("queue-it", "alice");
        Assert.Contains(queue, m => m.Thread == QueueIds.WebThread(ticket.Key, "IT") && m.Text.Contains($"Erin Employee confirmed {ticket.Key} is fixed, so it is resolved.", StringComparison.Ordinal));
        Assert.Contains(queue, m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web") && m.Text.Contains("Status: Resolved", StringComparison.Ordinal));

        // "Not fixed after all" within the reopen window reopens it, as after an agent's resolution.
        await app.SendAsync("erin", "it is flickering again", "dm-erin", thread);
        Assert.Equal(TicketStatus.Open, (await app.TicketAsync(ticket.Key)).Status);
    }

    [Fact]
    public async Task A_question_the_agent_waits_on_has_no_such_button()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it wait {ticket.Key} which cable do you use?");

        var question = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Text.Contains("which cable do you use?", StringComparison.Ordinal));
        Assert.DoesNotContain(TicketActions.Fixed, question.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("that fixed it, thanks!", true)]
    [InlineData("works now", true)]
    [InlineData("all good now, thank you", true)]
    [InlineData("thanks, I'll try that", false)]
    [InlineData("thanks!", false)]
    [InlineData("is it fixed?", false)]
    [InlineData("it worked for an hour, now it flickers again", false)]
    public async Task A_requester_reply_saying_it_works_is_passed_on_and_offers_to_close_the_request(string text, bool offered)
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", "Try the other cable.", "queue-it", QueueIds.WebThread(ticket.Key, "IT"));

        var replies = await app.SendAsync("erin", text, "dm-erin", thread);

        Assert.Single(await app.ConversationAsync("queue-it", "alice"), m => m.Text.Contains(text, StringComparison.Ordinal));
        var offer = replies.Where(m => m.Ephemeral && m.Html.Contains(FixedButton(ticket.Key), StringComparison.Ordinal)).ToList();
        Assert.Equal(offered ? 1 : 0, offer.Count);
        // The offer decides nothing: the ticket stays open until the requester presses it.
        Assert.True((await app.TicketAsync(ticket.Key)).IsOpen);
        if (offered)
        {
            Assert.Equal($"{ticket.Key}: close it?\nGlad it works. The IT team has your message; if nothing else is needed, close {ticket.Key} here.", offer[0].Text[..offer[0].Text.LastIndexOf('\n')]);
            await app.ActAsync("erin", TicketActions.Fixed, ticket.Key, conversation: "dm-erin", thread: thread);
            Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync(ticket.Key)).Status);
        }
    }

    [Fact]
    public async Task Only_the_requester_may_and_only_while_the_request_is_open()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        var before = (await app.EventsAsync(ticket.Key)).Count;

        var byAgent = Assert.Single(await app.ActAsync("alice", TicketActions.Fixed, ticket.Key, conversation: "queue-it"));
        Assert.Contains($"Only the requester can say {ticket.Key} is fixed.", byAgent.Text, StringComparison.Ordinal);
        var byStranger = Assert.Single(await app.ActAsync("frank", TicketActions.Fixed, ticket.Key, conversation: "dm-frank"));
        Assert.Contains("not yours to see", byStranger.Text, StringComparison.Ordinal);
        Assert.Equal(before, (await app.EventsAsync(ticket.Key)).Count);

        await app.SendAsync("alice", $"/it resolve {ticket.Key}");
        var resolvedEvents = (await app.EventsAsync(ticket.Key)).Count;
        var late = Assert.Single(await app.ActAsync("erin", TicketActions.Fixed, ticket.Key, conversation: "dm-erin", thread: thread));
        Assert.Contains($"{ticket.Key} is resolved already. If it is not fixed, say so in its thread.", late.Text, StringComparison.Ordinal);
        Assert.Equal(resolvedEvents, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Fact]
    public async Task A_request_automation_is_working_on_is_not_closed_by_it()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("I need access to Figma for 3 days");
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
        var before = (await app.EventsAsync(ticket.Key)).Count;

        var refused = Assert.Single(await app.ActAsync("erin", TicketActions.Fixed, ticket.Key, conversation: "dm-erin", thread: thread));

        Assert.Contains($"Automation is still working on {ticket.Key}", refused.Text, StringComparison.Ordinal);
        Assert.Equal(TicketStatus.PendingApproval, (await app.TicketAsync(ticket.Key)).Status);
        Assert.Equal(before, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Fact]
    public async Task A_confirmed_fix_gets_the_survey_a_withdrawal_does_not()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.ActAsync("erin", TicketActions.Fixed, ticket.Key, conversation: "dm-erin", thread: thread);
        app.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1, await app.SurveysAsync());
        var resolution = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Resolved);
        Assert.Equal(resolution.Id, Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.SurveySent).Get(QueueEventData.Resolution));
    }

    [Fact]
    public async Task The_requesters_of_its_duplicates_are_told_it_is_fixed()
    {
        using var app = new QueueApp();
        var (original, thread) = await app.OpenAsync("the wifi is down on floor 3", "erin");
        var (duplicate, duplicateThread) = await app.OpenAsync("wifi not working on the third floor", "frank");
        await app.SendAsync("alice", $"/it duplicate {duplicate.Key} of {original.Key}");

        await app.ActAsync("erin", TicketActions.Fixed, original.Key, conversation: "dm-erin", thread: thread);

        var told = Assert.Single(await app.ConversationAsync("dm-frank", "frank"), m => m.Title == $"{original.Key} is resolved");
        Assert.Equal(duplicateThread, told.Thread);
        Assert.Contains($"Erin Employee resolved {original.Key}, the problem your request {duplicate.Key} was about: its requester confirmed it is fixed", told.Text, StringComparison.Ordinal);
    }
}
