using ItChatBot.Automation.Knowledge;
using ItChatBot.Automation.Understanding;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// "That solved it" records a <c>Deflected</c> (no ticket); "Open a ticket" carries on with the request as if no
/// article had matched.
/// </summary>
public sealed class KnowledgeActionHandler(IPendingRequestStore pending, ReplayedTurns replays, RequestIntake intake, KnowledgeBase knowledge, IEventLog log, ITicketStore tickets)
    : ICardActionHandler
{
    public string Prefix => "kb";

    public IReadOnlyCollection<string> Actions { get; } = [AutomationActions.Solved, AutomationActions.OpenTicket];

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        var request = await PendingActions.TakeAsync(pending, replays, turn, action, cancellationToken);
        if (request is null)
        {
            return;
        }

        if (action.ActionId == AutomationActions.Solved)
        {
            // A deflection is a conversation the article settled before any ticket: once the offer's thread has one, it is not.
            if (request.Origin.ThreadId is not null && await tickets.FindTicketByThreadAsync(request.Origin, cancellationToken) is { } key)
            {
                turn.ReplyEphemeral(new Card
                {
                    Title = "A ticket is already open for this",
                    Text = $"{key} was opened in this conversation, so this was not counted as solved by the article. If it is solved, say so in {key}'s thread.",
                    Context = key,
                });
                return;
            }

            var article = request.Article is null ? null : knowledge.Find(request.Article);
            var deflected = TicketEvent.New(null, EventType.Deflected, turn.Now, turn.Person.Id, ActorKind.Requester, new Dictionary<string, string>
            {
                [EventData.Team] = article?.Team ?? "IT",
                [EventData.Category] = article?.Category ?? "general",
                [EventData.Article] = request.Article ?? "",
                [EventData.Channel] = request.Origin.Channel,
                [EventData.Requester] = turn.Person.Id,
            }, $"deflected:{request.Id}");
            await log.AppendAsync([deflected], cancellationToken: cancellationToken);
            turn.Reply(new Card { Title = "Glad that helped", Text = "No ticket was opened. Ask again any time." });
            return;
        }

        if (!await intake.TryHandleAsync(turn, request.Text, request.Origin, offerKnowledge: false, cancellationToken))
        {
            await intake.OpenForPeopleAsync(turn, request.Text, request.Origin, null, null, cancellationToken);
        }
    }
}

/// <summary>
/// The ask-back buttons: a picked intent starts its workflow (or opens a ticket in its category); "Something else"
/// opens an unassisted ticket for the team's human queue; a picked application fills the missing slot.
/// </summary>
public sealed class IntentActionHandler(IPendingRequestStore pending, ReplayedTurns replays, RequestIntake intake, IntentClassifier classifier, WorkflowCatalog catalog, Understanding.SlotExtractor slots, Connectors.IApplicationCatalog applications)
    : ICardActionHandler
{
    public string Prefix => "intent";

    public IReadOnlyCollection<string> Actions { get; } = [AutomationActions.PickIntent, AutomationActions.SomethingElse, AutomationActions.PickApplication];

    public async Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        var (_, choice) = AutomationActions.Parse(action.Value);
        var known = action.ActionId switch
        {
            AutomationActions.PickIntent => classifier.Find(choice ?? "") is not null,
            AutomationActions.PickApplication => choice is { Length: > 0 } && applications.Find(choice) is not null,
            _ => true,
        };
        if (!known)
        {
            throw new DomainException($"'{choice}' is not a choice this card offered.");
        }

        var request = await PendingActions.TakeAsync(pending, replays, turn, action, cancellationToken);
        if (request is null)
        {
            return;
        }

        var found = slots.Extract(request.Text).Slots;
        switch (action.ActionId)
        {
            case AutomationActions.PickIntent when classifier.Find(choice!) is { } intent:
                if (intent.Workflow is { } id && catalog.Find(id) is { } workflow)
                {
                    await intake.StartAsync(turn, request.Text, request.Origin, workflow, found, cancellationToken);
                }
                else
                {
                    // No workflow, or one that is off here: its priority, as its run would have had.
                    await intake.OpenForPeopleAsync(turn, request.Text, request.Origin, intent.Team, intent.Category, cancellationToken,
                        intent.Workflow is { } off ? catalog.Loaded(off)?.Priority : null);
                }

                break;
            case AutomationActions.PickApplication when request.Workflow is { } pendingWorkflow && catalog.Find(pendingWorkflow) is { } asked:
                var filled = new Dictionary<string, string>(found, StringComparer.Ordinal) { ["application"] = choice! };
                await intake.StartAsync(turn, request.Text, request.Origin, asked, filled, cancellationToken);
                break;
            default:
                await intake.OpenForPeopleAsync(turn, request.Text, request.Origin, null, null, cancellationToken);
                break;
        }
    }
}

internal static class PendingActions
{
    /// <summary>
    /// The pending request a button refers to, used once and only by the person who asked; null (with a private answer)
    /// otherwise. The press that used it may run again after a stop: it goes on unless its first run opened a ticket.
    /// </summary>
    public static async Task<PendingRequest?> TakeAsync(IPendingRequestStore pending, ReplayedTurns replays, Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        var (id, _) = AutomationActions.Parse(action.Value);
        var request = await pending.GetAsync(id) ?? throw new DomainException($"'{id}' is not a request this service asked about.");
        if (request.Person != turn.Person.Id)
        {
            turn.ReplyEphemeral(new Card { Title = "That button isn't yours", Text = "Only the person who asked can answer this question." });
            return null;
        }

        if (!await pending.TryUseAsync(id, action.PlatformId))
        {
            turn.ReplyEphemeral(new Card { Title = "Already answered", Text = "This question was already answered; nothing more was done." });
            return null;
        }

        return await replays.AnsweredAsync(turn, cancellationToken) ? null : request;
    }
}
