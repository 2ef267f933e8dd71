using System.Globalization;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// The approval cards and where their copies live. Every copy (the engine's card in the request's thread, one
/// direct message per approver) has an outbox id derived from run and step, so a decision can find and replace
/// each of them in place.
/// </summary>
public static class ApprovalMessages
{
    public const string Prefix = "approval";
    public const string Approve = "approval.approve";
    public const string Deny = "approval.deny";
    public const string ReasonInput = "reason";

    /// <summary>The engine's copy, posted in the request's thread.</summary>
    public static string ThreadCopyId(string runId, int stepIndex) => $"{WorkflowKeys.Step(runId, stepIndex)}:approval-card";

    public static string DirectCopyId(string runId, int stepIndex, string personId) => $"{WorkflowKeys.Step(runId, stepIndex)}:approval-dm:{personId}";

    public static string ReminderId(string runId, int stepIndex, string personId) => $"{WorkflowKeys.Step(runId, stepIndex)}:reminder:{personId}";

    public static string Value(string runId, int stepIndex) => $"{runId}|{stepIndex.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string value, out string runId, out int stepIndex)
    {
        var bar = value.LastIndexOf('|');
        runId = bar > 0 ? value[..bar] : "";
        stepIndex = -1;
        return bar > 0 && int.TryParse(value[(bar + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out stepIndex);
    }

    /// <summary>
    /// The approver's own conversation with the bot on the ticket's channel: the web chat's <c>dm-ID</c>, or the
    /// approver's platform user id, which Slack's chat.postMessage opens as a DM and Teams sends proactively to.
    /// Approvers unknown on that channel get it in the local web chat.
    /// </summary>
    public static ConversationRef DirectConversation(Person approver, string channel) =>
        channel != Channels.Web && approver.PlatformIds.TryGetValue(channel, out var platformId)
            ? new ConversationRef(channel, platformId)
            // Slack finds a directory person it has not seen yet by e-mail (users.lookupByEmail) and opens the DM.
            : channel == Channels.Slack && approver.Email.Contains('@', StringComparison.Ordinal)
                ? new ConversationRef(channel, approver.Email)
                : new ConversationRef(Channels.Web, $"dm-{approver.Id}");

    /// <summary>
    /// How an approver who got a card in <paramref name="direct"/> writes about the request: under the card in Slack and
    /// the web chat, where a ticket's card starts its thread; a Teams personal chat has no threads, so there a message
    /// naming the ticket (<c>ExistingRequests</c>). Before, the cards said nothing of it, and in Teams "reply here" opened a
    /// request of the approver's own.
    /// </summary>
    public static string HowToWrite(ConversationRef direct, string ticketKey) =>
        direct.Channel == Channels.Teams ? $"write {ticketKey} and your message here" : "reply in this thread";

    /// <summary>The approvers to call on in the request's thread, with their user ids on that channel (a Slack <c>&lt;@U…&gt;</c> notifies them).</summary>
    public static IReadOnlyList<CardMention> Mentions(IEnumerable<Person> approvers, string channel) =>
        [.. approvers.Select(p => new CardMention(p.DisplayName, channel == Channels.Web ? null : p.PlatformIds.GetValueOrDefault(channel)))];

    /// <summary>What Approve and Deny ask for before they count: an optional reason (a modal in Slack, the card's box elsewhere).</summary>
    public static CardInput Reason { get; } = new(ReasonInput, "Reason (optional)");

    public static IReadOnlyList<CardButton> Buttons(string runId, int stepIndex) =>
    [
        new CardButton(Approve, "Approve", Value(runId, stepIndex), ButtonStyle.Primary, Asks: Reason),
        new CardButton(Deny, "Deny", Value(runId, stepIndex), ButtonStyle.Danger, Asks: Reason),
    ];

    /// <param name="requesterName">The requester as the card names them (<see cref="DirectoryNames.NameOf"/>).</param>
    /// <param name="whoCanApprove">The approvers as the card names them (<see cref="WhoCanApprove"/>).</param>
    public static OutboundMessage DirectRequest(Ticket ticket, ApprovalRequest request, Person approver, string requesterName, string whoCanApprove, DateTimeOffset at) => new()
    {
        Id = DirectCopyId(request.RunId, request.StepIndex, approver.Id),
        Conversation = DirectConversation(approver, ticket.Channel),
        Card = RequestCard(ticket, request.RunId, request.StepIndex, request.Summary ?? ticket.Subject, requesterName, whoCanApprove,
            $"You are asked to approve this for {requesterName}. To ask them something, {HowToWrite(DirectConversation(approver, ticket.Channel), ticket.Key)}."),
        Ticket = ticket.Key,
        CreatedAt = at,
    };

    /// <summary>
    /// Who may decide, as the cards name them: a person by display name where <paramref name="people"/> has them (by id
    /// otherwise), an approver group as "members of NAME".
    /// </summary>
    public static string WhoCanApprove(IReadOnlyList<string> approvers, IEnumerable<Person> people)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var person in people)
        {
            names.TryAdd(person.Id, DirectoryNames.NameOf(person, person.Id));
        }

        return string.Join(", ", approvers.Select(a => a.StartsWith("group:", StringComparison.Ordinal) ? $"members of {a["group:".Length..]}" : names.GetValueOrDefault(a, a)));
    }

    /// <summary>
    /// The approval request, the same card wherever a copy goes: the thread (with <paramref name="mentions"/> calling on
    /// the approvers), each approver's direct message and reminder (with a <paramref name="note"/> in place of the subject).
    /// Its buttons only ask; the gate decides who may answer.
    /// </summary>
    public static Card RequestCard(
        Ticket ticket, string runId, int stepIndex, string summary, string requesterName, string whoCanApprove, string? note = null, IReadOnlyList<CardMention>? mentions = null) => new()
    {
        Title = $"Approval needed: {ticket.Key}",
        Text = summary,
        Fields =
        [
            new CardField("Requested by", requesterName),
            new CardField("Who can approve", whoCanApprove),
        ],
        Input = Reason,
        Buttons = Buttons(runId, stepIndex),
        Mentions = mentions ?? [],
        Context = note is null ? $"{ticket.Key} · {ticket.Subject}" : $"{ticket.Key} · {note}",
    };

    /// <summary>What every copy shows once someone decided: who, when, what happens next; no buttons left to press.</summary>
    public static Card DecidedCard(string ticketKey, string summary, string who, bool approved, DateTimeOffset at, string? reason, string next) => new()
    {
        Title = $"{(approved ? "Approved" : "Denied")}: {ticketKey}",
        Text = summary,
        Fields =
        [
            new CardField(approved ? "Approved by" : "Denied by", who),
            new CardField("When", at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
            .. string.IsNullOrWhiteSpace(reason) ? Array.Empty<CardField>() : [new CardField("Reason", reason.Trim(), Short: false)],
        ],
        Context = $"Next: {next}",
    };

    /// <summary>An approval nobody needs any more: its run ended (an agent resolved the ticket or overrode the workflow).</summary>
    public static Card WithdrawnCard(string ticketKey, string summary, DateTimeOffset at, string why) => new()
    {
        Title = $"No longer needed: {ticketKey}",
        Text = summary,
        Fields = [new CardField("Withdrawn at", at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))],
        Context = $"Next: nothing to approve; {why}",
    };

    public static Card ExpiredCard(string ticketKey, string summary, DateTimeOffset at) => new()
    {
        Title = $"Expired: {ticketKey}",
        Text = summary,
        Fields = [new CardField("Expired at", at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))],
        Context = "Next: nobody decided in time, so nothing was changed and the requester was told.",
    };
}
