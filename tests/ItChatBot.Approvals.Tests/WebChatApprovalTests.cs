using System.Net;
using System.Net.Http.Json;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.WebChat;

namespace ItChatBot.Approvals.Tests;

/// <summary>The local web chat's side of an approval: the cards as HTML, and a press with a reason over <c>POST /chat/actions</c>.</summary>
public sealed class WebChatApprovalTests
{
    [Fact]
    public async Task The_thread_copy_names_the_approvers_and_both_copies_carry_the_reason_box()
    {
        // A request made in a conversation others read (a team's channel): the approvers are called on there.
        using var s = new ApprovalScenario();
        var run = await s.StartAsync(conversation: "help-it");

        var thread = (await s.MessageAsync(ApprovalMessages.ThreadCopyId(run.Id, 0)))!.Message.Card;
        var dm = (await s.MessageAsync(ApprovalMessages.DirectCopyId(run.Id, 0, "dave")))!.Message.Card;

        Assert.Equal(["Dave Manager", "Sam Secure", "Sarah Shield"], thread.Mentions.Select(m => m.Name).Order());
        Assert.All(thread.Mentions, m => Assert.Null(m.PlatformUserId));
        var html = HtmlCardRenderer.Render(thread);
        Assert.Contains("<span class=\"mention\">@Dave Manager</span>", html, StringComparison.Ordinal);
        foreach (var card in (Core.Cards.Card[])[thread, dm])
        {
            Assert.Contains("<input name=\"reason\"", HtmlCardRenderer.Render(card), StringComparison.Ordinal);
            Assert.All(card.Buttons, b => Assert.Equal(ApprovalMessages.ReasonInput, b.Asks?.Id));
        }
    }

    [Fact]
    public async Task In_the_requesters_direct_conversation_the_copy_says_whom_it_waits_for_and_has_nothing_to_press()
    {
        // Before: the requester's own DM showed Approve and Deny, which only refused them, and @-mentioned approvers who
        // do not read it.
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();

        var thread = (await s.MessageAsync(ApprovalMessages.ThreadCopyId(run.Id, 0)))!.Message.Card;
        var dm = (await s.MessageAsync(ApprovalMessages.DirectCopyId(run.Id, 0, "dave")))!.Message.Card;

        Assert.Equal(("Approval needed: " + run.Ticket, 0, 0), (thread.Title, thread.Buttons.Count, thread.Mentions.Count));
        Assert.Null(thread.Input);
        Assert.Equal($"{run.Ticket} · Waiting for Dave Manager, members of Security to decide; they were asked directly, and you will hear here.", thread.Context);
        Assert.Equal([ApprovalMessages.Approve, ApprovalMessages.Deny], dm.Buttons.Select(b => b.ActionId));
    }

    [Fact]
    public async Task A_press_with_the_typed_reason_records_it_in_the_decision_and_the_audit_log()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        using var client = s.App.CreateClient();

        var response = await DenyWithReasonAsync(client, run, "not during the freeze", "press-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decided = Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Equal("not during the freeze", decided.Get(EventData.Reason));
        var audited = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.ApprovalDecided);
        Assert.Equal("not during the freeze", audited.Data["reason"]);
        // The answer carries dave's copy replaced in place, showing the reason.
        var answer = await response.Content.ReadFromJsonAsync<ChatResponse>();
        var update = Assert.Single(answer!.Messages, m => m.UpdateOf == ApprovalMessages.DirectCopyId(run.Id, 0, "dave"));
        Assert.Contains("not during the freeze", update.Html, StringComparison.Ordinal);
        Assert.Contains("Denied by", update.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reason_typed_with_a_NUL_is_recorded_without_it_as_on_every_store()
    {
        using var s = new ApprovalScenario();
        var run = await s.StartAsync();
        using var client = s.App.CreateClient();

        // The NUL goes out as JSON's \u0000; the router takes it out of a card action's inputs (ChatText), so a reason holding
        // one is the same on the LiteDB file, which would keep it, as on PostgreSQL, which refuses it.
        var response = await DenyWithReasonAsync(client, run, "not during\u0000 the freeze", "press-nul");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decided = Assert.Single(await s.EventsAsync(run, EventType.ApprovalDecided));
        Assert.Equal("not during the freeze", decided.Get(EventData.Reason));
        var audited = Assert.Single(await s.AuditAsync(run.Ticket), e => e.Action == AuditActions.ApprovalDecided);
        Assert.Equal("not during the freeze", audited.Data["reason"]);
    }

    /// <summary>Dave presses Deny on his copy of the first gate's card, having typed <paramref name="reason"/>.</summary>
    private static Task<HttpResponseMessage> DenyWithReasonAsync(HttpClient client, WorkflowRun run, string reason, string clientMessageId) =>
        client.PostAsJsonAsync("/chat/actions", new
        {
            person = "dave",
            actionId = ApprovalMessages.Deny,
            value = ApprovalMessages.Value(run.Id, 0),
            conversation = "dm-dave",
            inputs = new Dictionary<string, string> { ["reason"] = reason },
            clientMessageId,
        });
}
