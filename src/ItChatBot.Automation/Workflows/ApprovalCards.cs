using System.Globalization;
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

    /// <param name="mentions">The approvers called on in the thread (a Slack mention notifies them).</param>
    public static Card Request(Ticket ticket, string runId, int stepIndex, string summary, IReadOnlyList<string> approvers, Person? requester, IReadOnlyList<CardMention>? mentions = null) => new()
    {
        Title = $"Approval needed: {ticket.Key}",
        Text = summary,
        Fields =
        [
            new CardField("Requested by", requester?.DisplayName ?? ticket.Requester),
            new CardField("Who can approve", string.Join(", ", approvers.Select(a => a.StartsWith("group:", StringComparison.Ordinal) ? $"members of {a[6..]}" : a))),
        ],
        Input = ApprovalMessages.Reason,
        Buttons = ApprovalMessages.Buttons(runId, stepIndex),
        Mentions = mentions ?? [],
        Context = $"{ticket.Key} · {ticket.Subject}",
    };

    public static string Value(string runId, int stepIndex) => $"{runId}|{stepIndex.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string value, out string runId, out int stepIndex)
    {
        var bar = value.LastIndexOf('|');
        runId = bar > 0 ? value[..bar] : "";
        stepIndex = -1;
        return bar > 0 && int.TryParse(value[(bar + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out stepIndex);
    }
}
