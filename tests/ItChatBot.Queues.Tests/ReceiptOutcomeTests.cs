using ItChatBot.Core.Approvals;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// An automated request's receipt ("Thanks Erin Employee, I'm handling this: Application access.") says how its workflow
/// ended once automation has resolved it. Before, it kept "I'm handling this" above "Status: Resolved".
/// </summary>
public sealed class ReceiptOutcomeTests
{
    private static async Task<string> ReceiptTextAsync(QueueApp app, string key)
    {
        var receipt = RequesterCard.ReceiptId(key);
        return (await app.ConversationAsync("dm-erin", "erin")).Last(m => m.Id == receipt || m.UpdateOf == receipt).Text;
    }

    [Theory]
    [InlineData(true, "Thanks Erin Employee, this is done: Application access.")]
    [InlineData(false, "Thanks Erin Employee, this was not approved: Application access.")]
    public async Task The_receipt_says_whether_the_request_was_done_or_not_approved(bool approve, string headline)
    {
        using var app = new QueueApp();
        await app.SendAsync("erin", "I need access to Figma");
        Assert.Contains("I'm handling this: Application access.", await ReceiptTextAsync(app, "IT-1"), StringComparison.Ordinal);

        // app-access asks the manager at its second step (the first tells the requester it asked).
        await app.ActAsync("dave", approve ? ApprovalMessages.Approve : ApprovalMessages.Deny, "r-IT-1-1|1", conversation: "dm-dave");

        var text = await ReceiptTextAsync(app, "IT-1");
        Assert.Equal(TicketStatus.Resolved, (await app.TicketAsync("IT-1")).Status);
        Assert.Contains(headline, text, StringComparison.Ordinal);
        Assert.Contains("Status: Resolved", text, StringComparison.Ordinal);
        Assert.DoesNotContain("I'm handling this", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_an_agent_resolved_keeps_its_receipts_words()
    {
        using var app = new QueueApp();
        await app.SendAsync("erin", "I need access to Figma");

        await app.SendAsync("alice", "/it resolve IT-1 granted by hand");

        Assert.Contains("I'm handling this: Application access.", await ReceiptTextAsync(app, "IT-1"), StringComparison.Ordinal);
    }
}
