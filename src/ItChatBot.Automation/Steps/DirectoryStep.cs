using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Steps;

/// <summary>
/// <c>directory</c>: resets the requester's password or changes their group membership through the configured connector.
/// A group change is an access change (DESIGN §2): <c>add_group</c> records <c>AccessGranted</c> (permanent: no
/// <c>expiresAt</c>, so nothing revokes it and it is never overdue) and <c>remove_group</c> records <c>AccessRevoked</c>,
/// both with the step's completion, so the audit projector chains them and a replayed step records them once.
/// </summary>
public sealed class DirectoryStep(IDirectoryConnector connector) : IStepExecutor
{
    /// <summary>The role recorded when the step names none: plain membership of the group.</summary>
    public const string DefaultRole = "member";

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
                return new StepResult
                {
                    Events = [AccessEvent(context, EventType.AccessGranted, added, "granted")],
                    Outputs = new Dictionary<string, string> { ["group"] = added, ["user"] = user.Id },
                };
            case "remove_group":
                var removed = context.Expand("group");
                await connector.RemoveFromGroupAsync(user.Id, removed, context.IdempotencyKey, cancellationToken);
                return new StepResult
                {
                    Events = [AccessEvent(context, EventType.AccessRevoked, removed, "revoked")],
                    Outputs = new Dictionary<string, string> { ["group"] = removed, ["user"] = user.Id },
                };
            default:
                throw new PermanentStepException($"Unknown directory action '{context.Step.Get("action")}'.");
        }
    }

    /// <summary>
    /// The shape <see cref="GrantAccessStep"/> writes, without <c>expiresAt</c>. The resource is the step's <c>resource</c>,
    /// else the group; the id derives from the step's key, so a resumed step writes the same event and never a second one.
    /// </summary>
    private static TicketEvent AccessEvent(StepContext context, EventType type, string group, string outcome)
    {
        var data = new Dictionary<string, string>
        {
            [EventData.Resource] = context.ExpandOptional("resource") ?? group,
            [EventData.Role] = context.ExpandOptional("role") ?? DefaultRole,
            [EventData.Outcome] = outcome,
            [EventData.Requester] = context.Run.Requester,
            [EventData.Run] = context.Run.Id,
            ["group"] = group,
        };
        if (type == EventType.AccessGranted)
        {
            // A revocation names the grant it ends; a removal here names none (it may end a membership granted elsewhere).
            data["grant"] = context.IdempotencyKey;
        }

        if (context.ApprovedBy is { } approvedBy)
        {
            data[EventData.Approver] = approvedBy;
        }

        return TicketEvent.New(context.Ticket.Key, type, context.Now, AutomationMessages.Actor, ActorKind.Automation, data, $"{context.IdempotencyKey}:{outcome}");
    }
}
