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
    public static Card Request(Ticket ticket, string runId, int stepIndex, string summary, IReadOnlyList<string> approvers, Person? requester, IReadOnlyList<Person> asked) =>
        ApprovalMessages.RequestCard(
            ticket, runId, stepIndex, summary,
            DirectoryNames.NameOf(requester, ticket.Requester),
            ApprovalMessages.WhoCanApprove(approvers, asked),
            mentions: ApprovalMessages.Mentions(asked, ticket.Channel));
}
