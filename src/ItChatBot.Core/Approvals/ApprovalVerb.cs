using System.Text.RegularExpressions;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// <c>/it approve KEY [note]</c> and <c>/it deny KEY [reason]</c>: the ticket's waiting approval decided by typing, as the
/// card's buttons decide it. "approve IT-42" in a direct message does the same (<see cref="ApprovalMessageHandler"/>).
/// Before, both opened a ticket named "approve IT-42" and decided nothing. The press goes through
/// <see cref="ApprovalActionHandler"/>: the gate decides who may, a refusal is audited, and the engine re-checks.
/// </summary>
public sealed class ApprovalVerb(bool approve, ApprovalActionHandler approvals, IEventLog log) : ICommandVerb
{
    public string Command => "it";

    public string Verb => approve ? "approve" : "deny";

    public string Usage => approve ? "/it approve KEY [note] (e.g. /it approve IT-42)" : "/it deny KEY [reason] (e.g. /it deny IT-42 not in this quarter's budget)";

    public string Summary => approve
        ? "Approvers: approve the ticket's waiting approval, as its card's Approve button does."
        : "Approvers: deny the ticket's waiting approval, as its card's Deny button does; the requester is told.";

    public IReadOnlyList<string> Audience => [Roles.Approver, Roles.Lead];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0 || !TicketKey.TryParse(words[0].ToUpperInvariant(), out var key))
        {
            throw new UsageException(words.Length == 0 ? "Name the ticket." : $"'{words[0]}' is not a ticket key; keys look like IT-42.", Usage);
        }

        await DecideAsync(turn, key.ToString(), words.Length > 1 ? words[1] : null, cancellationToken);
    }

    /// <summary>Decides the ticket's latest approval that can still be decided, or says there is none.</summary>
    public async Task DecideAsync(Turn turn, string ticket, string? note, CancellationToken cancellationToken)
    {
        var events = await log.ReadTicketAsync(ticket, cancellationToken);
        if (events.Count == 0)
        {
            throw new DomainException($"There is no ticket {ticket}.");
        }

        string? why = null;
        foreach (var requested in events.Where(e => e.Type == EventType.ApprovalRequested).Reverse())
        {
            if (requested.Get(EventData.Run) is not { } run || requested.GetInt(EventData.Step) is not { } step)
            {
                continue;
            }

            var press = new CardAction
            {
                PlatformId = turn.Inbound.PlatformId,
                Conversation = turn.Inbound.Conversation,
                FromPlatformUserId = turn.Inbound.FromPlatformUserId,
                ReceivedAt = turn.Inbound.ReceivedAt,
                ActionId = approve ? ApprovalMessages.Approve : ApprovalMessages.Deny,
                Value = ApprovalMessages.Value(run, step),
                Inputs = note is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ApprovalMessages.ReasonInput] = note },
            };
            if ((why = await approvals.WhyStaleAsync(press, cancellationToken)) is null)
            {
                await approvals.HandleAsync(turn, press, cancellationToken);
                return;
            }
        }

        // The latest approval's own reason (decided already, expired, its run ended), or that there never was one.
        throw new DomainException(why ?? $"{ticket} has no approval waiting for a decision; nothing was changed.");
    }
}

/// <summary>
/// "approve IT-42", "deny IT-42 not this quarter" as a message of its own (a direct message, a mention): an approver
/// answering in words what the card asks. Only that exact form, a decision word first and the key next; anything
/// else is left to the handlers after this one.
/// </summary>
public sealed partial class ApprovalMessageHandler(IEnumerable<ICommandVerb> verbs) : IMessageHandler
{
    private readonly ApprovalVerb[] _verbs = [.. verbs.OfType<ApprovalVerb>()];

    /// <summary>
    /// Before the automation (100), which would take "approve IT-42" for a new request, and before thread replies (900):
    /// typed under the approval card in the request's thread, it is the decision, not a message for the queue.
    /// </summary>
    public int Order => 50;

    public async Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken)
    {
        if (DecisionPattern().Match(message.Text.Trim()) is not { Success: true } match
            || !TicketKey.TryParse(match.Groups["key"].Value.ToUpperInvariant(), out var key))
        {
            return false;
        }

        var verb = match.Groups["word"].Value.StartsWith("approve", StringComparison.OrdinalIgnoreCase) ? "approve" : "deny";
        if (_verbs.FirstOrDefault(v => v.Verb == verb) is not { } decide)
        {
            return false;
        }

        var note = match.Groups["note"].Value.Trim();
        await decide.DecideAsync(turn, key.ToString(), note.Length == 0 ? null : note, cancellationToken);
        return true;
    }

    [GeneratedRegex(@"^(?<word>approved?|deny|denied|reject|rejected)\s+(?<key>[A-Za-z][A-Za-z0-9]{0,9}-[0-9]{1,9})\b[\s:,.!-]*(?<note>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DecisionPattern();
}
