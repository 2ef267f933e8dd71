using ItChatBot.Core.Approvals;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Automation.Workflows;

/// <summary>The approval request posted in the ticket's thread. Its buttons only ask; the gate decides who may answer.</summary>
public static class ApprovalCards
{
    // The buttons are answered by the approvals part (ApprovalActionHandler, prefix "approval"), which also updates this copy.
    public const string Approve = ApprovalMessages.Approve;
    public const string Deny = ApprovalMessages.Deny;

    /// <param name="asked">The people asked to decide (<c>IApprovalGate.PeopleToAskAsync</c>): named on the card, and called on in
    /// the thread (a Slack mention notifies them).</param>
    /// <param name="direct">
    /// The thread is in the requester's direct conversation with the bot, which no approver reads: the card there says
    /// whom it waits for and has no buttons (the requester's own press could only be refused), and calls on nobody (a
    /// mention notifies no one who is not in the conversation). The approvers decide on their own copies.
    /// </param>
    public static Card Request(
        Ticket ticket, string runId, int stepIndex, string summary, IReadOnlyList<string> approvers, Person? requester, IReadOnlyList<Person> asked, bool direct = false)
    {
        var whoCanApprove = ApprovalMessages.WhoCanApprove(approvers, asked);
        var card = ApprovalMessages.RequestCard(
            ticket, runId, stepIndex, summary,
            DirectoryNames.NameOf(requester, ticket.Requester),
            whoCanApprove,
            mentions: direct ? [] : ApprovalMessages.Mentions(asked, ticket.Channel));
        return direct
            ? card with { Buttons = [], Input = null, Context = $"{ticket.Key} · Waiting for {whoCanApprove} to decide; they were asked directly, and you will hear here." }
            : card;
    }
}
