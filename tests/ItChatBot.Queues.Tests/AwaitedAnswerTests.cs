using System.Net;
using System.Text.RegularExpressions;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Intake;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.WebChat;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// An agent asked the requester something in the request's thread, and the answer came as a new message at the top of the
/// conversation (always so in a Teams personal chat, which has no threads): it goes to the ticket that waits for it, not
/// into a ticket of its own that the agent never sees, and one press undoes that when it was a new request after all.
/// </summary>
public sealed partial class AwaitedAnswerTests
{
    private const string Queue = "queue-it";

    private static string QueueThread(string key) => QueueIds.WebThread(key, "IT");

    [Fact]
    public async Task An_answer_written_at_the_top_of_the_conversation_reaches_the_ticket_the_agent_asked_on()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop battery drains in an hour");
        await app.SendAsync("alice", "Which laptop model is it, and how old?", Queue, QueueThread(ticket.Key));
        var before = await app.CountTicketsAsync();

        var replies = await app.SendAsync("erin", "a Dell XPS 13, about three years old", "dm-erin");

        Assert.Equal(before, await app.CountTicketsAsync());
        Assert.Contains(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(ticket.Key)
            && m.Text == $"Erin Employee replied on {ticket.Key}\na Dell XPS 13, about three years old\nreply in this thread to answer them");
        var notice = Assert.Single(replies, m => m.Conversation == "dm-erin");
        Assert.True(notice.Ephemeral);
        Assert.Equal($"Added to {ticket.Key}\nAlice Agent is waiting for your answer on {ticket.Key} (my laptop battery drains in an hour), so your message went there; the IT team has it.\nNot about {ticket.Key}? Open it as a new request, or for another request send it again beginning with that one's key.", notice.Text);
        Assert.Equal([(AwaitedAnswerActionHandler.OpenNew, $"{notice.Thread}\n{ticket.Key}\na Dell XPS 13, about three years old")], Buttons(notice));
    }

    [Fact]
    public async Task Another_teams_request_written_while_an_agent_waits_is_a_request_of_its_own()
    {
        // Before, for the answer window's seven days every message at the top of the conversation went to the ticket the
        // agent asked on: "my payslip is missing my overtime" became a reply on the laptop ticket in IT's queue.
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop battery drains in an hour");
        await app.SendAsync("alice", "Which laptop model is it?", Queue, QueueThread(ticket.Key));

        var replies = await app.SendAsync("erin", "my payslip is missing my overtime", "dm-erin");

        Assert.DoesNotContain(await app.ConversationAsync(Queue, "alice"), m => m.Text.Contains("overtime", StringComparison.Ordinal));
        var receipt = Assert.Single(replies, m => m.Conversation == "dm-erin" && m.Ticket is not null);
        var opened = await app.TicketAsync(receipt.Ticket!);
        Assert.Equal(("HR", "payroll", "my payslip is missing my overtime"), (opened.Team, opened.Category, opened.Subject));

        // The same team's detail is still the answer, and the agent still waits for it.
        await app.SendAsync("erin", "a Dell XPS 13, it also drops the VPN", "dm-erin");
        Assert.Contains(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(ticket.Key) && m.Text.Contains("a Dell XPS 13, it also drops the VPN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_as_a_new_request_opens_it_under_the_message_and_tells_the_other_tickets_queue()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop battery drains in an hour");
        await app.SendAsync("alice", "Which laptop model is it?", Queue, QueueThread(ticket.Key));
        var notice = Assert.Single(await app.SendAsync("erin", "the projector in room 2 does not turn on", "dm-erin"), m => m.Conversation == "dm-erin");
        var (action, value) = Assert.Single(Buttons(notice));

        var opened = await app.ActAsync("erin", action, value, conversation: "dm-erin", thread: notice.Thread);

        var receipt = Assert.Single(opened, m => m.Conversation == "dm-erin");
        Assert.Equal(notice.Thread, receipt.Thread);
        var created = await app.TicketAsync(receipt.Ticket!);
        Assert.Equal(("erin", "the projector in room 2 does not turn on", TicketStatus.New), (created.Requester, created.Subject, created.Status));
        Assert.StartsWith($"{created.Key}: the projector in room 2 does not turn on\nThanks Erin Employee, your request is logged with the IT team.", receipt.Text, StringComparison.Ordinal);
        Assert.Contains(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(ticket.Key)
            && m.Text == $"{ticket.Key}\nErin Employee says \"the projector in room 2 does not turn on\" was a new request, not about {ticket.Key}; it is {created.Key} now.");
        // The request it was passed to is as it was.
        Assert.Equal(TicketStatus.InProgress, (await app.TicketAsync(ticket.Key)).Status);

        // Pressed again: the same ticket, not a second.
        var count = await app.CountTicketsAsync();
        var again = await app.ActAsync("erin", action, value, conversation: "dm-erin", thread: notice.Thread);
        Assert.Equal(count, await app.CountTicketsAsync());
        Assert.Contains(again, m => m.Ticket == created.Key);
    }

    [Fact]
    public async Task An_answer_to_a_wait_question_resumes_the_ticket_as_a_reply_in_its_thread_would()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop battery drains in an hour");
        await app.SendAsync("alice", $"/it wait {ticket.Key} which laptop model is it?");
        Assert.Equal(TicketStatus.WaitingOnRequester, (await app.TicketAsync(ticket.Key)).Status);

        await app.SendAsync("erin", "an XPS 13", "dm-erin");

        Assert.Equal(TicketStatus.InProgress, (await app.TicketAsync(ticket.Key)).Status);
        var resumed = (await app.EventsAsync(ticket.Key)).Last();
        Assert.Equal((EventType.StatusChanged, "erin", ActorKind.Requester), (resumed.Type, resumed.Actor, resumed.ActorKind));
        Assert.Contains(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(ticket.Key) && m.Text.Contains("an XPS 13", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nobody answered yet")]
    [InlineData("the answer is older than the window")]
    [InlineData("escalated after the answer")]
    [InlineData("the requester answered the wait")]
    [InlineData("another conversation")]
    [InlineData("a command")]
    [InlineData("an incident")]
    [InlineData("a workflow's request")]
    public async Task A_message_opens_a_request_of_its_own_when_no_answer_is_awaited_or_it_is_clearly_new(string situation)
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop battery drains in an hour");
        switch (situation)
        {
            case "nobody answered yet":
                break;
            case "escalated after the answer":
                // A question without a wait, then the ticket went to another tier: the one who asked no longer has it.
                await app.SendAsync("alice", "Which laptop model is it?", Queue, QueueThread(ticket.Key));
                await app.SendAsync("alice", $"/it escalate {ticket.Key} L2");
                break;
            case "the answer is older than the window":
                await app.SendAsync("alice", $"/it wait {ticket.Key} which laptop model is it?");
                app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
                break;
            default:
                await app.SendAsync("alice", $"/it wait {ticket.Key} which laptop model is it?");
                break;
        }

        switch (situation)
        {
            case "the requester answered the wait":
                await app.SendAsync("erin", "an XPS 13", "dm-erin", thread);
                break;
        }

        var before = await app.CountTicketsAsync();
        var (text, conversation) = situation switch
        {
            "another conversation" => ("the projector in room 2 does not turn on", "room-2"),
            "a command" => ("/it the projector in room 2 does not turn on", "dm-erin"),
            "an incident" => ("I clicked a link in a phishing email and typed my password", "dm-erin"),
            "a workflow's request" => ("I forgot my password", "dm-erin"),
            _ => ("the projector in room 2 does not turn on", "dm-erin"),
        };

        var replies = await app.SendAsync("erin", text, conversation);

        Assert.Equal(before + 1, await app.CountTicketsAsync());
        Assert.DoesNotContain(replies, m => m.Text.StartsWith("Added to", StringComparison.Ordinal) || m.Text.StartsWith("Which request", StringComparison.Ordinal));
        Assert.DoesNotContain(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(ticket.Key) && m.Text.Contains(text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("thanks!", false)]
    [InlineData("that fixed it, thanks", true)]
    public async Task Thanks_for_the_agents_answer_reach_the_agent_with_no_button_to_open_a_request(string text, bool offersToClose)
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop battery drains in an hour");
        await app.SendAsync("alice", "Try turning the screen brightness down and tell me if it helps.", Queue, QueueThread(ticket.Key));

        var replies = await app.SendAsync("erin", text, "dm-erin");

        Assert.Contains(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(ticket.Key) && m.Text.Contains(text, StringComparison.Ordinal));
        Assert.DoesNotContain(replies, m => m.Html.Contains(AwaitedAnswerActionHandler.OpenNew, StringComparison.Ordinal));
        Assert.Equal(offersToClose, replies.Any(m => m.Html.Contains($"data-action-id=\"{TicketActions.Fixed}\" data-value=\"{ticket.Key}\"", StringComparison.Ordinal)));
        Assert.True((await app.TicketAsync(ticket.Key)).IsOpen);
    }

    [Fact]
    public async Task With_several_requests_asked_about_the_answer_goes_to_the_latest_question_and_names_it()
    {
        using var app = new QueueApp();
        var (battery, _) = await app.OpenAsync("my laptop battery drains in an hour");
        var (monitor, _) = await app.OpenAsync("the monitor in meeting room 4 flickers");
        await app.SendAsync("alice", "Which laptop model is it?", Queue, QueueThread(battery.Key));
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.SendAsync("bob", "Which floor is that room on?", Queue, QueueThread(monitor.Key));
        var before = await app.CountTicketsAsync();

        var notice = Assert.Single(await app.SendAsync("erin", "floor 3", "dm-erin"), m => m.Conversation == "dm-erin");

        Assert.Equal(before, await app.CountTicketsAsync());
        Assert.StartsWith($"Added to {monitor.Key}\nBob Builder is waiting for your answer on {monitor.Key} (the monitor in meeting room 4 flickers)", notice.Text, StringComparison.Ordinal);
        Assert.EndsWith($"Not about {monitor.Key}? Open it as a new request, or for another request send it again beginning with that one's key.", notice.Text, StringComparison.Ordinal);
        var queue = await app.ConversationAsync(Queue, "bob");
        Assert.Single(queue, m => m.Thread == QueueThread(monitor.Key) && m.Text.Contains("floor 3", StringComparison.Ordinal));
        Assert.DoesNotContain(queue, m => m.Thread == QueueThread(battery.Key) && m.Text.Contains("floor 3", StringComparison.Ordinal));

        // The other one, named by its key, still reaches its own ticket.
        await app.SendAsync("erin", $"{battery.Key}: an XPS 13", "dm-erin");
        Assert.Single(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(battery.Key) && m.Text.Contains("an XPS 13", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_requesters_message_in_the_same_conversation_is_not_taken_for_the_answer()
    {
        using var app = new QueueApp();
        // A shared conversation (a channel the bot is mentioned in): frank's request, and alice's question on it.
        var key = Assert.Single(await app.SendAsync("frank", "the projector in room 2 does not turn on", "room-2"), m => m.Ticket is not null).Ticket!;
        await app.SendAsync("alice", "Is it plugged in at the wall?", Queue, QueueThread(key));
        var before = await app.CountTicketsAsync();

        await app.SendAsync("erin", "the projector in room 5 does not turn on", "room-2");

        Assert.Equal(before + 1, await app.CountTicketsAsync());
        Assert.DoesNotContain(await app.ConversationAsync(Queue, "alice"), m => m.Thread == QueueThread(key) && m.Text.Contains("room 5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("request.new", "no lines at all")]
    [InlineData("request.new", "web:x\n\n   ")]
    public async Task A_button_value_that_carries_no_message_is_refused_and_changes_nothing(string action, string value)
    {
        using var app = new QueueApp();
        var before = await app.CountTicketsAsync();

        var answer = Assert.Single(await app.ActAsync("erin", action, value, conversation: "dm-erin", thread: "web:x"));

        Assert.True(answer.Ephemeral);
        Assert.StartsWith("That didn't work\n", answer.Text, StringComparison.Ordinal);
        Assert.Contains("This button carries no message.", answer.Text, StringComparison.Ordinal);
        Assert.Equal(before, await app.CountTicketsAsync());
    }

    [Fact]
    public void An_agents_reply_counts_until_the_requester_or_the_ticket_moves_on()
    {
        var t0 = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        var window = TimeSpan.FromDays(7);
        var ticket = new Ticket { Key = "IT-1", Status = TicketStatus.InProgress };
        TicketEvent E(EventType type, int minutes, string actor, ActorKind kind, string? status = null) =>
            TicketEvent.New("IT-1", type, t0.AddMinutes(minutes), actor, kind, status is null ? null : new Dictionary<string, string> { [EventData.Status] = status });
        var created = E(EventType.Created, 0, "erin", ActorKind.Requester);
        var reply = E(EventType.Responded, 10, "alice", ActorKind.Agent);

        Assert.Null(AwaitedAnswers.AskedBy(ticket, [created], t0.AddHours(1), window));
        Assert.Equal("alice", AwaitedAnswers.AskedBy(ticket, [created, reply], t0.AddHours(1), window));
        // An internal note or a priority change by the agent is not the requester's turn.
        Assert.Equal("alice", AwaitedAnswers.AskedBy(ticket, [created, reply, E(EventType.NoteAdded, 11, "alice", ActorKind.Agent)], t0.AddHours(1), window));
        Assert.Null(AwaitedAnswers.AskedBy(ticket, [created, reply], t0.AddMinutes(10) + window + TimeSpan.FromSeconds(1), window));
        Assert.Null(AwaitedAnswers.AskedBy(ticket, [created, reply, E(EventType.Escalated, 20, "alice", ActorKind.Agent)], t0.AddHours(1), window));
        Assert.Null(AwaitedAnswers.AskedBy(ticket, [created, reply, E(EventType.StatusChanged, 20, "erin", ActorKind.Requester, "InProgress")], t0.AddHours(1), window));
        // Automation's answers are not an agent waiting.
        Assert.Null(AwaitedAnswers.AskedBy(ticket, [created, E(EventType.Responded, 1, "automation", ActorKind.Automation)], t0.AddHours(1), window));

        var waiting = new Ticket { Key = "IT-1", Status = TicketStatus.WaitingOnRequester };
        var wait = E(EventType.StatusChanged, 30, "bob", ActorKind.Agent, nameof(TicketStatus.WaitingOnRequester));
        Assert.Equal("bob", AwaitedAnswers.AskedBy(waiting, [created, reply, wait], t0.AddDays(2), window));
        Assert.Null(AwaitedAnswers.AskedBy(waiting, [created, reply, wait], t0.AddMinutes(30) + window + TimeSpan.FromSeconds(1), window));
    }

    [Theory]
    [InlineData("it's a Dell XPS 13, about three years old", 5, true)]
    [InlineData("the battery is at 40% after a full charge", 14, true)]
    [InlineData("I also need a new keyboard", 5, true)] // the same kind (hardware): one press opens it on its own
    [InlineData("works now, thanks", 5, true)] // the team may close it
    [InlineData("never mind, I fixed it myself", 5, true)] // the team may withdraw it
    [InlineData("it's a Dell XPS 13", 15, true)]
    [InlineData("it's a Dell XPS 13", 16, false)] // after the window
    [InlineData("thanks!", 1, false)]
    [InlineData("ok great", 1, false)]
    [InlineData("my expense report was rejected twice", 2, false)] // Finance's kind of request
    [InlineData("I can't connect to the VPN from home", 2, false)] // IT, but another category
    public void In_a_chat_without_threads_a_message_adds_to_the_request_just_opened_unless_it_is_another_kind(string text, int minutesLater, bool added)
    {
        var opened = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        var ticket = new Ticket { Key = "IT-1", Team = "IT", Category = "hardware", Status = TicketStatus.New, CreatedAt = opened };
        var triage = new KeywordTriage(new SupportTeams([]));

        Assert.Equal(added, AwaitedAnswers.FollowsUp(ticket, text, opened.AddMinutes(minutesLater), TimeSpan.FromMinutes(15), triage));
        Assert.False(AwaitedAnswers.FollowsUp(ticket, text, opened.AddMinutes(minutesLater), TimeSpan.Zero, triage));
    }

    private static List<(string Action, string Value)> Buttons(ChatMessage message) =>
        [.. ButtonPattern().Matches(message.Html).Select(m => (WebUtility.HtmlDecode(m.Groups["action"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))];

    [GeneratedRegex("data-action-id=\"(?<action>[^\"]*)\" data-value=\"(?<value>[^\"]*)\"")]
    private static partial Regex ButtonPattern();
}
