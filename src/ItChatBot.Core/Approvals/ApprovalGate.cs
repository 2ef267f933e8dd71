using System.Globalization;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// The gate decided from the event log. Authorization is worked out again on every check from the directory
/// as it is now, so a decision by someone who has since stopped being the manager no longer opens the gate.
/// </summary>
public sealed class ApprovalGate(IEventLog log, TicketService tickets, IDirectory directory, TimeProvider clock, IDirectoryConnector? connector = null)
    : IApprovalGate
{
    public const string Approved = "approved";
    public const string Denied = "denied";

    public async Task<IReadOnlyList<string>> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var approvers = await ApproversAsync(request, cancellationToken);
        var id = WorkflowKeys.ApprovalRequested(request.RunId, request.StepIndex);
        if ((await log.ContainsAsync([id], cancellationToken)).Count > 0)
        {
            return approvers;
        }

        var data = new Dictionary<string, string>
        {
            [EventData.Run] = request.RunId,
            [EventData.Step] = request.StepIndex.ToString(CultureInfo.InvariantCulture),
            [EventData.Approver] = string.Join(",", approvers),
        };
        if (request.Summary is { } summary)
        {
            data[EventData.Note] = summary;
        }

        var requested = TicketEvent.New(request.Ticket, EventType.ApprovalRequested, clock.GetUtcNow(), "automation", ActorKind.Automation, data, id);
        await log.AppendAsync([requested], cancellationToken: cancellationToken);
        return approvers;
    }

    public async Task<ApprovalState> CheckAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        foreach (var e in await log.ReadTicketAsync(request.Ticket, cancellationToken))
        {
            if (!IsFor(e, request))
            {
                continue;
            }

            if (e.Type == EventType.ApprovalExpired)
            {
                return ApprovalState.Expired;
            }

            if (e.Type == EventType.ApprovalDecided && await WhyNotAuthorizedAsync(request, e.Actor, cancellationToken) is null)
            {
                return e.Get(EventData.Decision) == Approved ? ApprovalState.Approved : ApprovalState.Denied;
            }
        }

        return ApprovalState.Pending;
    }

    public async Task<string?> WhyNotAuthorizedAsync(ApprovalRequest request, string personId, CancellationToken cancellationToken = default)
    {
        if (string.Equals(personId, request.Requester, StringComparison.OrdinalIgnoreCase))
        {
            return "You asked for this, so you cannot approve it yourself.";
        }

        var requester = await directory.FindAsync(request.Requester, cancellationToken);
        if (request.Approvers.Manager && requester?.ManagerId is { } manager && string.Equals(manager, personId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (request.Approvers.Group is { } group && await IsInGroupAsync(personId, group, cancellationToken))
        {
            return null;
        }

        return $"Only {Describe(request.Approvers, requester)} can decide this approval.";
    }

    public async Task DecideAsync(ApprovalRequest request, string personId, bool approved, string? reason, CancellationToken cancellationToken = default)
    {
        if (await WhyNotAuthorizedAsync(request, personId, cancellationToken) is { } problem)
        {
            throw new DomainException(problem);
        }

        var state = await CheckAsync(request, cancellationToken);
        if (state != ApprovalState.Pending)
        {
            throw new DomainException($"This approval is already {state.ToString().ToLowerInvariant()}.");
        }

        var data = new Dictionary<string, string>
        {
            [EventData.Run] = request.RunId,
            [EventData.Step] = request.StepIndex.ToString(CultureInfo.InvariantCulture),
            [EventData.Decision] = approved ? Approved : Denied,
            [EventData.By] = personId,
        };
        if (!string.IsNullOrWhiteSpace(reason))
        {
            data[EventData.Reason] = reason.Trim();
        }

        await tickets.ChangeAsync(
            request.Ticket,
            (ticket, now) => [ticket.Record(TicketEvent.New(ticket.Key, EventType.ApprovalDecided, now, personId, ActorKind.Approver, data))],
            cancellationToken: cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ApproversAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        var approvers = new List<string>();
        if (request.Approvers.Manager && (await directory.FindAsync(request.Requester, cancellationToken))?.ManagerId is { } manager
            && !string.Equals(manager, request.Requester, StringComparison.OrdinalIgnoreCase))
        {
            approvers.Add(manager);
        }

        if (request.Approvers.Group is { } group)
        {
            approvers.Add($"group:{group}");
        }

        return approvers;
    }

    private Task<bool> IsInGroupAsync(string personId, string group, CancellationToken cancellationToken) =>
        GroupMembership.IsMemberAsync(directory, connector, personId, group, cancellationToken);

    private static bool IsFor(TicketEvent e, ApprovalRequest request) =>
        e.Type is EventType.ApprovalDecided or EventType.ApprovalExpired
        && e.Get(EventData.Run) == request.RunId
        && e.GetInt(EventData.Step) is { } step && step == request.StepIndex;

    private static string Describe(ApproverSpec spec, Person? requester)
    {
        var manager = requester is null ? "the requester's manager" : $"{requester.DisplayName}'s manager";
        return (spec.Manager, spec.Group) switch
        {
            (true, null) => manager,
            (false, { } g) => $"a member of {g}",
            (true, { } g) => $"{manager} or a member of {g}",
            _ => "nobody",
        };
    }
}
