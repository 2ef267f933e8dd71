using ItChatBot.Core.Cards;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Steps;

/// <summary><c>message</c>: tells the requester something in the ticket's thread.</summary>
public sealed class MessageStep : IStepExecutor
{
    public StepKind Kind => StepKind.Message;

    public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var card = new Card { Title = context.ExpandOptional("title") ?? context.Definition.Name, Text = context.Expand("text") };
        var message = AutomationMessages.ToRequester(context, card);
        return Task.FromResult(new StepResult
        {
            Events = [AutomationMessages.Responded(context)],
            Messages = message is null ? [] : [message],
        });
    }
}
