using ItChatBot.Core.Cards;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Steps;

/// <summary><c>resolve</c>: resolves the ticket by automation, optionally telling the requester why.</summary>
public sealed class ResolveStep : IStepExecutor
{
    public StepKind Kind => StepKind.Resolve;

    public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var note = context.ExpandOptional("note") ?? $"Resolved by the {context.Definition.Name} workflow.";
        var resolved = TicketEvent.New(
            context.Ticket.Key,
            EventType.Resolved,
            context.Now,
            AutomationMessages.Actor,
            ActorKind.Automation,
            new Dictionary<string, string> { [EventData.Note] = note, [EventData.Run] = context.Run.Id, [EventData.By] = AutomationMessages.Actor },
            $"{context.IdempotencyKey}:resolved");
        var text = context.ExpandOptional("text");
        if (text is null)
        {
            return Task.FromResult(new StepResult { Events = [resolved] });
        }

        var message = AutomationMessages.ToRequester(context, new Card { Title = $"{context.Ticket.Key} is resolved", Text = text });
        return Task.FromResult(new StepResult
        {
            Events = [AutomationMessages.Responded(context), resolved],
            Messages = message is null ? [] : [message],
        });
    }
}
