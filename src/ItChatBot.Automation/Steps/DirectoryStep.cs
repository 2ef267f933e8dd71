using ItChatBot.Core.Directory;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Steps;

/// <summary><c>directory</c>: resets the requester's password or changes their group membership through the configured connector.</summary>
public sealed class DirectoryStep(IDirectoryConnector connector) : IStepExecutor
{
    public StepKind Kind => StepKind.Directory;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var user = await DirectoryUsers.RequireAsync(connector, context, cancellationToken);
        switch (context.Step.Get("action"))
        {
            case "reset_password":
                var reset = await connector.ResetPasswordAsync(user.Id, context.IdempotencyKey, cancellationToken);
                return new StepResult { Outputs = new Dictionary<string, string> { ["delivery"] = reset.Delivery, ["user"] = user.Id } };
            case "add_group":
                var added = context.Expand("group");
                await connector.AddToGroupAsync(user.Id, added, context.IdempotencyKey, cancellationToken);
                return new StepResult { Outputs = new Dictionary<string, string> { ["group"] = added, ["user"] = user.Id } };
            case "remove_group":
                var removed = context.Expand("group");
                await connector.RemoveFromGroupAsync(user.Id, removed, context.IdempotencyKey, cancellationToken);
                return new StepResult { Outputs = new Dictionary<string, string> { ["group"] = removed, ["user"] = user.Id } };
            default:
                throw new PermanentStepException($"Unknown directory action '{context.Step.Get("action")}'.");
        }
    }
}
