using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Approvals.Tests;

/// <summary>
/// An approver decides by typing: <c>/it approve KEY</c>, <c>/it deny KEY reason</c>, or "approve KEY" as a message. Before,
/// each of these opened a ticket named after it and decided nothing. The decision goes through the same gate as a press.
/// </summary>
public sealed class TypedDecisionTests
{
    [Fact]
    public async Task The_manager_approves_with_the_command_and_the_gated_step_runs()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        var tickets = await CountTicketsAsync(s);

        var turn = await s.CommandAsync("dave", "it", $"approve {run.Ticket.ToLowerInvariant()}");

        Assert.Contains("erin", s.Admins);
        Assert.Equal(WorkflowRunStatus.Completed, await s.StatusAsync(run));
        Assert.Equal("dave", Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided)).Actor);
        Assert.Contains(turn.Replies, r => r.UpdateOf == ApprovalMessages.DirectCopyId(run.Id, 0, "dave") && r.Card.ToPlainText().Contains("Approved by: Dave Manager", StringComparison.Ordinal));
        Assert.Equal(tickets, await CountTicketsAsync(s));
    }

    [Fact]
    public async Task A_message_denying_with_a_reason_is_the_decision_and_the_reason_is_kept()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        var tickets = await CountTicketsAsync(s);

        await MessageAsync(s, "dave", $"deny {run.Ticket}: not during the freeze");

        var decided = Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Equal(("dave", ApprovalGate.Denied, "not during the freeze"), (decided.Actor, decided.Get(EventData.Decision), decided.Get(EventData.Reason)));
        Assert.DoesNotContain("erin", s.Admins);
        Assert.Equal(tickets, await CountTicketsAsync(s));
    }

    [Fact]
    public async Task Someone_who_may_not_decide_is_refused_audited_and_nothing_happens()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var turn = await MessageAsync(s, "frank", $"approve {run.Ticket}");

        Assert.Contains("Only Erin Employee's manager", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, await s.StatusAsync(run));
        Assert.Contains(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.ApprovalRefused && e.Actor == "frank");
    }

    [Fact]
    public async Task A_decision_already_made_or_on_a_ticket_with_no_approval_is_said_so_and_opens_nothing()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        await s.CommandAsync("dave", "it", $"approve {run.Ticket}");
        var plain = await s.App.Get<TicketService>().OpenAsync(new OpenTicket("IT", "hardware", "P3", "erin", "dock is dead", new ConversationRef(Channels.Web, "dm-erin", "m-2")));
        var tickets = await CountTicketsAsync(s);

        var again = await s.CommandAsync("dave", "it", $"deny {run.Ticket} changed my mind");
        var none = await MessageAsync(s, "dave", $"approve {plain.Key}");
        var wrong = await s.CommandAsync("dave", "it", "approve");

        Assert.Contains($"This approval on {run.Ticket} was already given; nothing was changed.", Assert.Single(again.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains($"{plain.Key} has no approval waiting for a decision; nothing was changed.", Assert.Single(none.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("Use: /it approve KEY [note]", Assert.Single(wrong.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(ApprovalGate.Approved, Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided)).Get(EventData.Decision));
        Assert.Equal(tickets, await CountTicketsAsync(s));
    }

    [Fact]
    public async Task Approvals_lists_what_waits_for_the_asker_and_nothing_they_may_not_decide()
    {
        using var s = new ApprovalScenario();
        var first = await s.StartAsync();
        s.App.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await s.StartAsync(requester: "frank");

        var dave = Assert.Single((await s.CommandAsync("dave", "it", "approvals")).Replies).Card;
        var sam = Assert.Single((await s.CommandAsync("sam", "it", "approvals")).Replies).Card;
        var erin = Assert.Single((await s.CommandAsync("erin", "it", "approvals")).Replies).Card;

        // dave is erin's and frank's manager; sam is in Security, which may approve either; erin asked for one and may
        // decide neither.
        Assert.Equal("Approvals waiting for you (2)", dave.Title);
        Assert.Equal([first.Ticket, second.Ticket], dave.Table!.Rows.Select(r => r[0]));
        Assert.Contains("asks for admin rights on GitHub", dave.Table.Rows[0][1], StringComparison.Ordinal);
        Assert.Equal(s.Now.AddMinutes(-5).UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), dave.Table.Rows[0][2]);
        Assert.Equal(dave.Table.Rows.Select(r => r[0]), sam.Table!.Rows.Select(r => r[0]));
        Assert.Equal(("Approvals waiting for you (0)", null), (erin.Title, erin.Table));

        await s.CommandAsync("dave", "it", $"approve {first.Ticket}");

        Assert.Equal([second.Ticket], Assert.Single((await s.CommandAsync("dave", "it", "approvals")).Replies).Card.Table!.Rows.Select(r => r[0]));
        Assert.Equal("Nothing is waiting for your decision.", Assert.Single((await s.CommandAsync("alice", "it", "approvals")).Replies).Card.Text);
    }

    [Theory]
    [InlineData("what do I need to approve?")]
    [InlineData("any approvals for me")]
    [InlineData("is anything waiting for my approval")]
    [InlineData("my approvals")]
    public async Task Asking_in_words_what_waits_for_ones_approval_lists_it_and_opens_no_ticket(string question)
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        var tickets = await CountTicketsAsync(s);

        var dave = Assert.Single((await MessageAsync(s, "dave", question)).Replies).Card;
        var erin = Assert.Single((await MessageAsync(s, "erin", question)).Replies).Card;

        Assert.Equal("Approvals waiting for you (1)", dave.Title);
        Assert.Equal([run.Ticket], dave.Table!.Rows.Select(r => r[0]));
        Assert.Equal(("Approvals waiting for you (0)", "Nothing is waiting for your decision."), (erin.Title, erin.Text));
        Assert.Equal(tickets, await CountTicketsAsync(s));
    }

    [Fact]
    public async Task Asking_for_an_approval_is_still_a_request()
    {
        using var s = new ApprovalScenario();
        var tickets = await CountTicketsAsync(s);

        var turn = await MessageAsync(s, "frank", "who needs to approve my request for a second monitor?");

        Assert.DoesNotContain(turn.Replies, r => r.Card.Title?.StartsWith("Approvals waiting", StringComparison.Ordinal) == true);
        Assert.Equal(tickets + 1, await CountTicketsAsync(s));
    }

    private static Task<Turn> MessageAsync(ApprovalScenario s, string person, string text) =>
        s.App.Get<ConversationRouter>().RouteAsync(new InboundMessage
        {
            PlatformId = $"web:{Guid.NewGuid():N}",
            Conversation = new ConversationRef(Channels.Web, $"dm-{person}"),
            FromPlatformUserId = person,
            ReceivedAt = s.Now,
            Text = text,
        });

    private static async Task<int> CountTicketsAsync(ApprovalScenario s) => (await s.App.Get<ITicketStore>().QueryAsync(new TicketQuery())).Count;
}
