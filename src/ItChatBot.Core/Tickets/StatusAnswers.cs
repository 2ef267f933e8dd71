using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// Answers a status question written as a request (<see cref="StatusQuestion"/>): the ticket's card when it names one the
/// person may see, otherwise the person's own requests (<see cref="MyRequests"/>). Nothing is opened or recorded.
/// </summary>
public sealed class StatusAnswers(TicketService tickets, MyRequests mine, TicketView view)
{
    /// <summary>True when <paramref name="text"/> was a status question and is answered.</summary>
    public async Task<bool> TryAnswerAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        if (StatusQuestion.Find(text) is not { } asked)
        {
            return false;
        }

        if (asked.Key is null)
        {
            turn.ReplyEphemeral(await mine.CardAsync(turn.Person.Id, turn.Now, cancellationToken));
            return true;
        }

        // A key that is no ticket, or not one the person may see, is said so ("There is no ticket IT-99.").
        var ticket = await tickets.GetAsync(asked.Key, cancellationToken);
        TicketAccess.EnsureCanView(turn.Person, ticket);
        turn.ReplyEphemeral(await view.CardForAsync(turn.Person, ticket, cancellationToken));
        return true;
    }
}
