using System.Text.RegularExpressions;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// <c>/it approve KEY [note]</c> and <c>/it deny KEY [reason]</c>: the ticket's waiting approval decided by typing, as the
/// card's buttons decide it. "approve IT-42" in a direct message does the same (<see cref="ApprovalMessageHandler"/>).
/// Before, both opened a ticket named "approve IT-42" and decided nothing. The press goes through
/// <see cref="ApprovalActionHandler"/>: the gate decides who may, a refusal is audited, and the engine re-checks.
/// </summary>
/// <remarks>
/// In a ticket's thread (under the approval card in the approver's direct messages, the request's thread, its queue
/// thread) the key may be left out, as the queue's verbs allow (<see cref="Queues.Verbs.VerbArguments.KeyAndRestAsync"/>).
/// </remarks>
public sealed class ApprovalVerb(bool approve, ApprovalActionHandler approvals, IEventLog log, Queues.QueueDesk? desk = null) : ICommandVerb
{
    public string Command => "it";

    public string Verb => approve ? "approve" : "deny";

    public string Usage => approve
        ? "/it approve KEY [note] (e.g. /it approve IT-42; in its thread the key may be left out)"
        : "/it deny KEY [reason] (e.g. /it deny IT-42 not in this quarter's budget; in its thread the key may be left out)";

    public string Summary => approve
        ? "Approvers: approve the ticket's waiting approval, as its card's Approve button does."
        : "Approvers: deny the ticket's waiting approval, as its card's Deny button does; the requester is told.";

    public IReadOnlyList<string> Audience => [Roles.Approver, Roles.Lead];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length > 0 && TicketKey.TryParse(words[0].ToUpperInvariant(), out var key))
        {
            await DecideAsync(turn, key.ToString(), words.Length > 1 ? words[1] : null, cancellationToken);
            return;
        }

        if (desk is not null && await desk.ThreadTicketAsync(turn, cancellationToken) is { } inThread)
        {
            // "/it approve ok for the quarter" under the approval card: that ticket, and all of it is the note.
            var note = arguments.Trim();
            await DecideAsync(turn, inThread, note.Length == 0 ? null : note, cancellationToken);
            return;
        }

        throw new UsageException(words.Length == 0 ? "Name the ticket." : $"'{words[0]}' is not a ticket key; keys look like IT-42.", Usage);
    }

    /// <summary>
    /// In a ticket's thread, decides its waiting approval when <paramref name="turn"/>'s sender may decide it, and returns
    /// true; else false and nothing is done (no thread of a ticket, no approval waiting, or someone who may not decide it:
    /// their words are no attempt to refuse and audit).
    /// </summary>
    internal async Task<bool> TryDecideInThreadAsync(Turn turn, string? note, CancellationToken cancellationToken)
    {
        if (desk is null || await desk.ThreadTicketAsync(turn, cancellationToken) is not { } ticket)
        {
            return false;
        }

        var (press, _) = await LatestOpenAsync(approvals, turn, await log.ReadTicketAsync(ticket, cancellationToken), approve, note, cancellationToken);
        if (press is null || await approvals.WhyRefusedAsync(press, turn.Person, cancellationToken) is not null)
        {
            return false;
        }

        await approvals.HandleAsync(turn, press, cancellationToken);
        return true;
    }

    /// <summary>Decides the ticket's latest approval that can still be decided, or says there is none.</summary>
    public async Task DecideAsync(Turn turn, string ticket, string? note, CancellationToken cancellationToken)
    {
        var events = await log.ReadTicketAsync(ticket, cancellationToken);
        if (events.Count == 0)
        {
            throw new DomainException($"There is no ticket {ticket}.");
        }

        var (press, why) = await LatestOpenAsync(approvals, turn, events, approve, note, cancellationToken);
        if (press is not null)
        {
            await approvals.HandleAsync(turn, press, cancellationToken);
            return;
        }

        // An approval's own reason (decided already, expired, its run ended), or that there never was one.
        throw new DomainException(why ?? $"{ticket} has no approval waiting for a decision; nothing was changed.");
    }

    /// <summary>
    /// The ticket's latest approval that can still be decided, as the press of its Approve (or Deny) button would name
    /// it; otherwise no press, and why the approvals it has cannot be (null when it never had one).
    /// </summary>
    internal static async Task<(CardAction? Press, string? Why)> LatestOpenAsync(
        ApprovalActionHandler approvals, Turn turn, IEnumerable<TicketEvent> events, bool approve, string? note, CancellationToken cancellationToken)
    {
        string? why = null;
        foreach (var requested in events.Where(e => e.Type == EventType.ApprovalRequested).Reverse())
        {
            if (requested.Get(EventData.Run) is not { } run || requested.GetInt(EventData.Step) is not { } step)
            {
                continue;
            }

            var press = Press(turn, approve, run, step, note);
            if ((why = await approvals.WhyStaleAsync(press, cancellationToken)) is null)
            {
                return (press, null);
            }
        }

        return (null, why);
    }

    /// <summary>The press of a step's Approve or Deny button that <paramref name="turn"/>'s words stand for, with the note as its reason.</summary>
    internal static CardAction Press(Turn turn, bool approve, string run, int step, string? note) => new()
    {
        PlatformId = turn.Inbound.PlatformId,
        Conversation = turn.Inbound.Conversation,
        FromPlatformUserId = turn.Inbound.FromPlatformUserId,
        ReceivedAt = turn.Inbound.ReceivedAt,
        ActionId = approve ? ApprovalMessages.Approve : ApprovalMessages.Deny,
        Value = ApprovalMessages.Value(run, step),
        Inputs = note is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ApprovalMessages.ReasonInput] = note },
    };
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
        var text = message.Text.Trim();
        if (DecisionPattern().Match(text) is { Success: true } match && TicketKey.TryParse(match.Groups["key"].Value.ToUpperInvariant(), out var key))
        {
            if (Decider(match) is not { } decide)
            {
                return false;
            }

            await decide.DecideAsync(turn, key.ToString(), Note(match), cancellationToken);
            return true;
        }

        // "approved", "deny: not this quarter" under the approval card (or in any thread of its ticket), from someone who
        // may decide it: the decision, as "approve IT-42" is. Before, it went to the requester as a question while the
        // approval still waited. From anyone else ("approved yet?" from the requester) it is left to the thread's handlers.
        return message.Conversation.ThreadId is not null && InThreadPattern().Match(text) is { Success: true } inThread
            && Decider(inThread) is { } verb && await verb.TryDecideInThreadAsync(turn, Note(inThread), cancellationToken);
    }

    private ApprovalVerb? Decider(Match match)
    {
        var verb = match.Groups["word"].Value.StartsWith("approve", StringComparison.OrdinalIgnoreCase) ? "approve" : "deny";
        return _verbs.FirstOrDefault(v => v.Verb == verb);
    }

    private static string? Note(Match match) => match.Groups["note"].Value.Trim() is { Length: > 0 } note ? note : null;

    [GeneratedRegex(@"^(?<word>approved?|deny|denied|reject|rejected)\s+(?<key>" + TicketKey.Pattern + @")\b[\s:,.!-]*(?<note>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DecisionPattern();

    /// <summary>A decision word first and no question mark: "approved", "Approve - ok for Q1", "denied: no budget".</summary>
    [GeneratedRegex(@"^(?<word>approved?|deny|denied|reject|rejected)\b(?![^?]*\?)[\s:,.!-]*(?<note>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex InThreadPattern();
}

/// <summary>
/// <c>/it approvals</c>: the approvals waiting for a decision that the asker may give, oldest first, each with its ticket,
/// what is asked, who asks and since when: an approver's to-do list, as a service desk's "approvals" view is. A DM card
/// that scrolled away, or a thread copy in a channel they do not read, is found here.
/// </summary>
public sealed class WaitingApprovalsVerb(IWorkflowRunner runner, ApprovalActionHandler approvals, IEventLog log) : ICommandVerb
{
    /// <summary>At most this many rows; the oldest are shown, since they expire first.</summary>
    public const int MaxRows = 20;

    public string Command => "it";

    public string Verb => "approvals";

    public string Usage => "/it approvals";

    public string Summary => "Approvers: the approvals waiting for your decision, oldest first.";

    public IReadOnlyList<string> Audience => [Roles.Approver, Roles.Lead];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var waiting = new List<(TicketEvent Requested, string Ticket)>();
        foreach (var run in await runner.WaitingForApprovalAsync(cancellationToken))
        {
            var requested = (await log.ReadTicketAsync(run.Ticket, cancellationToken))
                .LastOrDefault(e => e.Type == EventType.ApprovalRequested && e.Get(EventData.Run) == run.RunId);
            if (requested?.GetInt(EventData.Step) is not { } step)
            {
                continue;
            }

            var press = ApprovalVerb.Press(turn, approve: true, run.RunId, step, note: null);
            if (await approvals.WhyStaleAsync(press, cancellationToken) is null && await approvals.WhyRefusedAsync(press, turn.Person, cancellationToken) is null)
            {
                waiting.Add((requested, run.Ticket));
            }
        }

        if (waiting.Count == 0)
        {
            turn.ReplyEphemeral(new Card { Title = "Approvals waiting for you (0)", Text = "Nothing is waiting for your decision." });
            return;
        }

        var shown = waiting.OrderBy(w => w.Requested.At).Take(MaxRows).ToList();
        turn.ReplyEphemeral(new Card
        {
            Title = $"Approvals waiting for you ({waiting.Count})",
            Table = new CardTable(["ticket", "asked", "since (UTC)"],
                [.. shown.Select(w => (IReadOnlyList<string>)[w.Ticket, TicketCards.Shorten(ApprovalSummary(w.Requested), 100), w.Requested.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)])]),
            Context = (waiting.Count > shown.Count ? $"The oldest {shown.Count} of {waiting.Count}. " : "")
                + "Decide with the card's buttons, or /it approve KEY [note], /it deny KEY [reason].",
        });
    }

    private static string ApprovalSummary(TicketEvent requested) => requested.Get(EventData.Note) is { Length: > 0 } note ? note : "an approval";
}
