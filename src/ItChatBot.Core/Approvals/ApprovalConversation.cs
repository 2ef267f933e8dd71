using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// Questions between an approver and the requester while an approval waits, as the comments on a Jira Service Management
/// approval or a Freshservice approval request carry them. An approver who may decide writes about the request (in the
/// thread of the approval card sent to them, or in a message naming the ticket): "why do you need admin rights?" goes
/// to the requester's thread. The requester's messages on the request while it waits go to each approver who was asked
/// directly, whose reply in that message's thread comes back the same way. Before, an approver's question was answered
/// with the ticket's card (in the card's thread) or opened a ticket of its own (naming the ticket), and the requester's
/// answer reached only the team's queue. Nothing is recorded: these are words, not decisions; the approval still takes
/// the card's buttons or <c>/it approve</c>.
/// </summary>
public sealed class ApprovalConversation(ApprovalActionHandler approvals, IEventLog log, IDirectory directory)
{
    /// <summary>
    /// When <paramref name="turn"/>'s sender may decide the approval waiting on <paramref name="ticket"/> and is not its
    /// requester: passes <paramref name="text"/> to the requester's thread, tells the sender, and returns true.
    /// </summary>
    public async Task<bool> TryAskRequesterAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        if (turn.Person.Id == ticket.Requester || ticket.Status != TicketStatus.PendingApproval
            || QueuePublisher.RequesterThread(ticket) is not { } thread
            || thread == turn.Inbound.Conversation // written in the requester's own thread (a channel): they see it there
            || await WaitingAsync(turn, ticket.Key, cancellationToken) is not { } waiting
            || await approvals.WhyRefusedAsync(waiting.Press, turn.Person, cancellationToken) is not null)
        {
            return false;
        }

        var requester = await directory.NameOfAsync(ticket.Requester, cancellationToken);
        turn.Send(thread, new Card
        {
            Title = $"{turn.Person.DisplayName} asks about {ticket.Key}",
            Text = text,
            Context = $"{ticket.Key} · {turn.Person.DisplayName} is asked to approve this · reply here to answer",
        }, ticket.Key);
        turn.ReplyEphemeral(QueueCards.Notice(ticket.Key,
            $"{requester} has your message in {ticket.Key}'s thread, and their answer comes to you here. The approval still waits for your decision (the card's buttons, or /it approve {ticket.Key})."));
        return true;
    }

    /// <summary>
    /// The requester wrote on <paramref name="ticket"/> while its approval waits: each approver asked directly gets it in
    /// a direct message. Returns their names (none when no approval waits or nobody was asked directly).
    /// </summary>
    public async Task<IReadOnlyList<string>> TellApproversAsync(Turn turn, Ticket ticket, string text, CancellationToken cancellationToken)
    {
        if (ticket.Status != TicketStatus.PendingApproval || await WaitingAsync(turn, ticket.Key, cancellationToken) is not { } waiting)
        {
            return [];
        }

        var told = new List<string>();
        foreach (var id in waiting.History.NotifiedPeople.Where(p => p != ticket.Requester))
        {
            if (await directory.FindAsync(id, cancellationToken) is not { } approver)
            {
                continue;
            }

            var direct = ApprovalMessages.DirectConversation(approver, ticket.Channel);
            turn.Send(direct, new Card
            {
                Title = $"{turn.Person.DisplayName} wrote on {ticket.Key}",
                Text = text,
                Context = $"{ticket.Key} waits for your decision (the approval card's buttons, or /it approve {ticket.Key}) · to answer, {ApprovalMessages.HowToWrite(direct, ticket.Key)}",
            }, ticket.Key);
            told.Add(approver.DisplayName);
        }

        return told;
    }

    /// <summary>The latest approval on the ticket that can still be decided, as the press of its Approve button would name it.</summary>
    private async Task<(CardAction Press, ApprovalHistory History)?> WaitingAsync(Turn turn, string ticket, CancellationToken cancellationToken)
    {
        var events = await log.ReadTicketAsync(ticket, cancellationToken);
        return (await ApprovalVerb.LatestOpenAsync(approvals, turn, events, approve: true, note: null, cancellationToken)).Press is { } press
            && ApprovalMessages.TryParse(press.Value, out var run, out var step)
                ? (press, ApprovalHistory.Of(events, run, step))
                : null;
    }
}
