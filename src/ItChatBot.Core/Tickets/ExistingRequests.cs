using ItChatBot.Core.Approvals;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// Messages written as new requests that are about requests the person already has, so that none of them opens a
/// ticket named after it:
/// <list type="bullet">
/// <item>a question about the approvals waiting for the sender (<see cref="ApprovalsQuestion"/>): the list
/// <c>/it approvals</c> gives;</item>
/// <item>a status question (<see cref="StatusQuestion"/>): "any update on my ticket?" gets the person's requests
/// (<see cref="MyRequests"/>), "is IT-42 fixed yet" the ticket's card;</item>
/// <item>anything else that names one of the person's own tickets ("IT-42 is still not working"): the same as a reply in
/// that ticket's thread (<see cref="RelayHandler.FromRequesterElsewhereAsync"/>);</item>
/// <item>a message naming a ticket whose waiting approval the sender may decide: a question for its requester
/// (<see cref="ApprovalConversation"/>);</item>
/// <item>separately (<see cref="TryAnswerAwaitedAsync"/>, asked once the message is known not to be a request for automation
/// or an incident), a message at the top of the conversation while an agent waits for the sender's answer there, or, in a
/// chat without threads, soon after the sender opened a request there.</item>
/// </list>
/// </summary>
public sealed class ExistingRequests(
    TicketService tickets, ITicketStore store, MyRequests mine, TicketView view, RelayHandler? relay = null, WaitingApprovalsVerb? approvals = null,
    ApprovalConversation? approvers = null, AwaitedAnswers? awaited = null)
{
    /// <summary>True when <paramref name="text"/> was about an existing request and is answered.</summary>
    public async Task<bool> TryHandleAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        if (approvals is not null && ApprovalsQuestion.IsAsked(text))
        {
            // "what do I need to approve?": an approver's to-do list, as /it approvals answers it.
            await approvals.HandleAsync(turn, "", cancellationToken);
            return true;
        }

        if (StatusQuestion.Find(text) is { } asked)
        {
            await AnswerStatusAsync(turn, asked.Key, cancellationToken);
            return true;
        }

        if (StatusQuestion.OneKey(text) is not { } key || await store.GetAsync(key, cancellationToken) is not { } ticket)
        {
            return false;
        }

        return ticket.Requester == turn.Person.Id
            ? relay is not null && await relay.FromRequesterElsewhereAsync(turn, ticket, text, cancellationToken)
            // "IT-42: why do you need admin rights?" from someone who may decide its waiting approval: for the requester.
            : approvers is not null && await approvers.TryAskRequesterAsync(turn, ticket, text, cancellationToken);
    }

    /// <summary>
    /// A message at the top of the conversation while an agent waits for the sender's answer on a request of theirs there, or,
    /// in a chat without threads, just after they opened one there (<see cref="AwaitedAnswers"/>): it goes to that request as a
    /// reply in its thread would, and the sender is told where it went, with a button to open it as a new request instead.
    /// True when answered.
    /// </summary>
    public async Task<bool> TryAnswerAwaitedAsync(Turn turn, string text, CancellationToken cancellationToken) =>
        awaited is not null && relay is not null && await awaited.ForAsync(turn, text, cancellationToken) is { } waiting
        && await relay.FromRequesterElsewhereAsync(turn, waiting.Ticket, text, cancellationToken, AwaitedAnswers.Added(waiting, turn.ReplyThread, text));

    /// <summary>
    /// Records that <paramref name="turn"/> opened <paramref name="ticket"/>: in a chat without threads, what its sender adds
    /// at the top of the conversation next goes to it (<see cref="AwaitedAnswers.OpenedAsync"/>).
    /// </summary>
    /// <returns>In such a chat, what the receipt tells the requester of it; else null.</returns>
    public Task<string?> OpenedAsync(Turn turn, Ticket ticket, CancellationToken cancellationToken) =>
        awaited?.OpenedAsync(turn, ticket, cancellationToken) ?? Task.FromResult<string?>(null);

    /// <summary>
    /// What <c>/it status</c> answers (<see cref="StatusVerb"/>), and a status question too: the ticket's card for
    /// <paramref name="key"/>, or the person's own requests without one.
    /// </summary>
    public async Task AnswerStatusAsync(Turn turn, string? key, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            turn.ReplyEphemeral(await mine.CardAsync(turn.Person.Id, turn.Now, cancellationToken));
            return;
        }

        // A key that is no ticket, or not one the person may see, is said so ("There is no ticket IT-99.").
        var ticket = await tickets.GetAsync(key, cancellationToken);
        TicketAccess.EnsureCanView(turn.Person, ticket);
        turn.ReplyEphemeral(await view.CardForAsync(turn.Person, ticket, cancellationToken));
    }
}
