using System.Globalization;
using ItChatBot.Automation.Access;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Steps;

/// <summary>
/// <c>grant_access</c>: adds the requester to the resource's group for a limited time and stores the grant, whose
/// revocation the revocation service performs at expiry. The duration comes from the request (<c>duration</c>),
/// else <c>default_duration</c> (1 day), and is capped at <c>max_duration</c>.
/// </summary>
public sealed class GrantAccessStep(IDirectoryConnector connector, AccessGrantStore grants) : IStepExecutor
{
    public StepKind Kind => StepKind.GrantAccess;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var duration = Duration(context);
        var user = await DirectoryUsers.RequireAsync(connector, context, cancellationToken);
        var group = context.Expand("group");
        var resource = context.Expand("resource");
        var role = context.Expand("role");
        await connector.AddToGroupAsync(user.Id, group, context.IdempotencyKey, cancellationToken);

        var approvedBy = context.ApprovedBy;
        var grant = await grants.AddOnceAsync(new AccessGrant
        {
            Id = context.IdempotencyKey,
            Ticket = context.Ticket.Key,
            RunId = context.Run.Id,
            Person = context.Run.Requester,
            UserId = user.Id,
            Resource = resource,
            Role = role,
            Group = group,
            GrantedAt = context.Now,
            ExpiresAt = TicketEvent.Truncate(context.Now + duration),
            ApprovedBy = approvedBy,
        });

        var expiresAt = grant.ExpiresAt.ToString("O", CultureInfo.InvariantCulture);
        var data = new Dictionary<string, string>
        {
            [EventData.Resource] = resource,
            [EventData.Role] = role,
            [EventData.ExpiresAt] = expiresAt,
            [EventData.Outcome] = "granted",
            [EventData.Requester] = context.Run.Requester,
            [EventData.Run] = context.Run.Id,
            ["group"] = group,
            ["grant"] = grant.Id,
        };
        if (approvedBy is not null)
        {
            data[EventData.Approver] = approvedBy;
        }

        var granted = TicketEvent.New(context.Ticket.Key, EventType.AccessGranted, context.Now, AutomationMessages.Actor, ActorKind.Automation, data, $"{context.IdempotencyKey}:granted");
        return new StepResult
        {
            Events = [granted],
            Outputs = new Dictionary<string, string> { ["expiresAt"] = expiresAt, ["duration"] = DurationText.Format(duration), ["group"] = group },
        };
    }

    private static TimeSpan Duration(StepContext context)
    {
        var asked = context.Step.Get("duration") is { } template && TryExpand(template, context) is { } text ? text : null;
        var fallback = context.Step.Get("default_duration") ?? "1d";
        if (!DurationText.TryParse(asked ?? fallback, out var duration))
        {
            throw new PermanentStepException($"'{asked ?? fallback}' is not a duration; write e.g. 4h, 2 days or 1w.");
        }

        if (context.Step.Get("max_duration") is { } maxText && DurationText.TryParse(maxText, out var max) && duration > max)
        {
            duration = max;
        }

        return duration;
    }

    /// <summary>An optional slot that was not given leaves the template without a value: fall back to the default then.</summary>
    private static string? TryExpand(string template, StepContext context)
    {
        try
        {
            return Template.Expand(template, context.Values);
        }
        catch (TemplateException)
        {
            return null;
        }
    }
}
