using System.Globalization;
using ItChatBot.Automation.Access;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Steps;

/// <summary>
/// <c>grant_access</c>: adds the requester to the resource's group for a limited time and stores the grant, whose
/// revocation the revocation service performs at expiry (leaving a membership the person already had). The duration comes from the request (<c>duration</c>),
/// else <c>default_duration</c> (1 day), and is capped at <c>max_duration</c>.
/// </summary>
public sealed class GrantAccessStep(IDirectoryConnector connector, IAccessGrantStore grants, SupportTeams teams) : IStepExecutor
{
    /// <summary>What a step without <c>default_duration</c> grants when the request named no duration.</summary>
    public const string DefaultDuration = "1d";

    public StepKind Kind => StepKind.GrantAccess;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var duration = Duration(context);
        var user = await DirectoryUsers.RequireAsync(connector, context, cancellationToken);
        var group = context.Expand("group");
        var resource = context.Expand("resource");
        var role = context.Expand("role");

        // The grant is recorded before the add, with whether the person was a member then. A retry (after a failed or
        // crashed attempt) finds it and never checks again: it would see the membership its own first attempt added and
        // call it standing, and that grant would never be revoked.
        var approvedBy = context.ApprovedBy;
        var grant = await grants.GetAsync(context.IdempotencyKey) ?? await grants.AddOnceAsync(new AccessGrant
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
            AlreadyMember = await StandingMemberAsync(user.Id, group, cancellationToken),
        });
        await connector.AddToGroupAsync(user.Id, group, context.IdempotencyKey, cancellationToken);

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

        if (grant.AlreadyMember is { } alreadyMember)
        {
            data["alreadyMember"] = alreadyMember ? "true" : "false";
        }

        var granted = TicketEvent.New(context.Ticket.Key, EventType.AccessGranted, context.Now, AutomationMessages.Actor, ActorKind.Automation, data, $"{context.IdempotencyKey}:granted");
        return new StepResult
        {
            Events = [granted],
            Outputs = new Dictionary<string, string>
            {
                ["expiresAt"] = expiresAt,
                // For people: "Thu 10 Dec 07:51 Europe/London" in the ticket's team's time zone, as the SLA line writes a deadline.
                ["expires"] = SlaView.Local(grant.ExpiresAt, teams.ZoneOf(context.Ticket.Team)),
                ["duration"] = DurationText.Describe(duration),
                ["group"] = group,
            },
        };
    }

    /// <summary>
    /// Whether the person holds the group's membership apart from our grants. A membership that an active grant of ours
    /// added (an earlier, shorter request for the same group) is not standing, or the later grant would keep it for good;
    /// one that a standing grant found is still standing.
    /// </summary>
    private async Task<bool> StandingMemberAsync(string userId, string group, CancellationToken cancellationToken) =>
        await connector.IsDirectMemberAsync(userId, group, cancellationToken)
            && (await grants.ActiveOnAsync(userId, group)).All(g => g.AlreadyMember == true);

    private static TimeSpan Duration(StepContext context)
    {
        var asked = context.Step.Get("duration") is { } template && TryExpand(template, context) is { } text ? text : null;
        var fallback = context.Step.Get("default_duration") ?? DefaultDuration;
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
