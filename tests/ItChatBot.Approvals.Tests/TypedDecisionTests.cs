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
