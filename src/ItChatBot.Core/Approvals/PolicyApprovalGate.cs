using System.Globalization;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// The approval gate with the whole policy of issue 6: the requester never approves; the requester's manager, a
/// delegate of theirs while they are away, or a member of the step's approver group may; <c>all-of</c> groups need
/// every member; a denial by an authorized approver closes the gate; an approval older than its expiry is expired
/// even before the expiry service has written so. Authorization is worked out again from the directory on every
/// check, so the gate trusts no decision just because it is in the log. Decisions are appended against the
/// ticket's version after re-reading the approval, so of two racing clicks exactly one is recorded.
/// Multi-stage approvals (manager, then application owner) are consecutive approval steps, each its own gate.
/// </summary>
public sealed class PolicyApprovalGate(
    IEventLog log,
    ITicketStore tickets,
    IDirectory directory,
    IOptions<ApprovalsOptions> options,
    IAuditLog audit,
    TimeProvider clock,
    IDirectoryConnector? connector = null) : IApprovalGate
{
    private const int Attempts = 5;

    private ApprovalsOptions Options => options.Value;

    public async Task<IReadOnlyList<string>> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        var approvers = await ApproversAsync(request, cancellationToken);
        var id = WorkflowKeys.ApprovalRequested(request.RunId, request.StepIndex);
        if ((await log.ContainsAsync([id], cancellationToken)).Count > 0 || approvers.Count == 0)
        {
            return approvers;
        }

        var now = clock.GetUtcNow();
        var people = await PeopleToAskAsync(request, approvers, cancellationToken);
        var data = new Dictionary<string, string>
        {
            [ApprovalHistory.Notified] = string.Join(",", people.Select(p => p.Id)),
            [EventData.Run] = request.RunId,
            [EventData.Step] = request.StepIndex.ToString(CultureInfo.InvariantCulture),
            [EventData.Approver] = string.Join(",", approvers),
            [EventData.Requester] = request.Requester,
            [EventData.ExpiresAt] = TicketEvent.Truncate(now + Options.Expiry).ToString("O", CultureInfo.InvariantCulture),
            [ApprovalHistory.Spec] = request.Approvers.ToString(),
        };
        if (request.Summary is { } summary)
        {
            data[EventData.Note] = summary;
        }

        var requested = TicketEvent.New(request.Ticket, EventType.ApprovalRequested, now, "automation", ActorKind.Automation, data, id);
        var ticket = await tickets.GetAsync(request.Ticket, cancellationToken) ?? throw new DomainException($"There is no ticket {request.Ticket}.");
        var requesterName = await directory.NameOfAsync(request.Requester, cancellationToken);
        var whoCanApprove = ApprovalMessages.WhoCanApprove(approvers, people);
        var direct = people.Select(p => ApprovalMessages.DirectRequest(ticket, request, p, requesterName, whoCanApprove, now)).ToList();
        await log.AppendAsync([requested], direct, cancellationToken: cancellationToken);
        await audit.AppendAsync(AuditRecord.New(now, "automation", AuditActions.ApprovalRequested, request.Ticket, new Dictionary<string, string>
        {
            ["run"] = request.RunId,
            ["step"] = data[EventData.Step],
            ["approvers"] = data[EventData.Approver],
            ["rule"] = request.Approvers.ToString(),
            ["requester"] = request.Requester,
            ["expiresAt"] = data[EventData.ExpiresAt],
            ["notified"] = data[ApprovalHistory.Notified],
        }, id: $"event:{id}"), cancellationToken);
        return approvers;
    }

    public async Task<ApprovalState> CheckAsync(ApprovalRequest request, CancellationToken cancellationToken = default) =>
        (await EvaluateAsync(request, await log.ReadTicketAsync(request.Ticket, cancellationToken), cancellationToken)).State;

    /// <summary>The state, and who decided it (the deciding approver, or null).</summary>
    public async Task<(ApprovalState State, TicketEvent? Deciding)> EvaluateAsync(ApprovalRequest request, IReadOnlyList<TicketEvent> ticketEvents, CancellationToken cancellationToken)
    {
        var history = ApprovalHistory.Of(ticketEvents, request.RunId, request.StepIndex);
        if (history.Expired is not null)
        {
            return (ApprovalState.Expired, history.Expired);
        }

        var approvedBy = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        TicketEvent? lastApproval = null;
        foreach (var decision in history.Decisions)
        {
            if (await WhyNotAuthorizedAsync(request, decision.Actor, decision.At, cancellationToken) is not null)
            {
                continue;
            }

            if (!history.IsApproval(decision))
            {
                return (ApprovalState.Denied, decision);
            }

            approvedBy.Add(decision.Actor);
            lastApproval = decision;
        }

        if (lastApproval is not null && await IsSatisfiedAsync(request, approvedBy, cancellationToken))
        {
            return (ApprovalState.Approved, lastApproval);
        }

        if (history.Requested is { } requested && clock.GetUtcNow() >= requested.At + Options.Expiry)
        {
            return (ApprovalState.Expired, null);
        }

        return (ApprovalState.Pending, null);
    }

    public Task<string?> WhyNotAuthorizedAsync(ApprovalRequest request, string personId, CancellationToken cancellationToken = default) =>
        WhyNotAuthorizedAsync(request, personId, clock.GetUtcNow(), cancellationToken);

    /// <summary>Whether <paramref name="personId"/> could decide at <paramref name="at"/> (a delegate only counts while the manager is away).</summary>
    public async Task<string?> WhyNotAuthorizedAsync(ApprovalRequest request, string personId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (string.Equals(personId, request.Requester, StringComparison.OrdinalIgnoreCase))
        {
            return "You asked for this, so you cannot approve it yourself.";
        }

        var requester = await directory.FindAsync(request.Requester, cancellationToken);
        if (request.Approvers.Manager && await ManagerOfAsync(requester, request.Requester, cancellationToken) is { } manager)
        {
            if (string.Equals(manager, personId, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (Options.Delegations.Any(d => Same(d.Manager, manager) && Same(d.Delegate, personId) && d.IsActive(at)))
            {
                return null;
            }
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

        for (var attempt = 1; ; attempt++)
        {
            // Version first, then the events: if anything is appended in between, the expected version is stale and the append fails.
            var ticket = await tickets.GetAsync(request.Ticket, cancellationToken) ?? throw new DomainException($"There is no ticket {request.Ticket}.");
            var events = await log.ReadTicketAsync(request.Ticket, cancellationToken);
            var (state, deciding) = await EvaluateAsync(request, events, cancellationToken);
            if (state != ApprovalState.Pending)
            {
                throw new DomainException(await AlreadyAsync(state, deciding, cancellationToken));
            }

            if (ApprovalHistory.Of(events, request.RunId, request.StepIndex).Decisions.Any(d => Same(d.Actor, personId)))
            {
                throw new DomainException("You have already decided this approval; it is waiting for the other approvers.");
            }

            var now = clock.GetUtcNow();
            var data = new Dictionary<string, string>
            {
                [EventData.Run] = request.RunId,
                [EventData.Step] = request.StepIndex.ToString(CultureInfo.InvariantCulture),
                [EventData.Decision] = approved ? ApprovalGate.Approved : ApprovalGate.Denied,
                [EventData.By] = personId,
            };
            if (!string.IsNullOrWhiteSpace(reason))
            {
                data[EventData.Reason] = reason.Trim();
            }

            var version = ticket.EventCount;
            var decided = ticket.Record(TicketEvent.New(ticket.Key, EventType.ApprovalDecided, now, personId, ActorKind.Approver, data));
            try
            {
                await log.AppendAsync([decided], expected: new ExpectedVersion(ticket.Key, version), cancellationToken: cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                continue;
            }

            await audit.AppendAsync(AuditRecord.New(now, personId, AuditActions.ApprovalDecided, request.Ticket, new Dictionary<string, string>
            {
                ["run"] = request.RunId,
                ["step"] = data[EventData.Step],
                ["decision"] = data[EventData.Decision],
                ["reason"] = data.GetValueOrDefault(EventData.Reason, ""),
                ["next"] = approved ? "the run continues once every required approval is in" : "the run stops and the requester is told",
            }, id: $"event:{decided.Id}"), cancellationToken);
            return;
        }
    }

    /// <summary>Who is asked in person: the manager (or, while away, their delegates) and the known members of the group.</summary>
    public async Task<IReadOnlyList<Person>> PeopleToAskAsync(ApprovalRequest request, IReadOnlyList<string> approvers, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var approver in approvers)
        {
            if (approver.StartsWith("group:", StringComparison.Ordinal))
            {
                ids.AddRange(await KnownMembersAsync(approver["group:".Length..], cancellationToken));
            }
            else
            {
                ids.Add(approver);
            }
        }

        var people = new List<Person>();
        foreach (var id in ids.Where(i => !Same(i, request.Requester)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await directory.FindAsync(id, cancellationToken) is { } person)
            {
                people.Add(person);
            }
        }

        return people;
    }

    private async Task<string> AlreadyAsync(ApprovalState state, TicketEvent? deciding, CancellationToken cancellationToken)
    {
        var who = deciding is { ActorKind: ActorKind.Approver } && await directory.FindAsync(deciding.Actor, cancellationToken) is { } person ? person.DisplayName : null;
        var when = deciding?.At.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return state switch
        {
            ApprovalState.Approved => $"This approval was already given{(who is null ? "" : $" by {who}")}{(when is null ? "" : $" at {when}")}; nothing changed.",
            ApprovalState.Denied => $"This approval was already denied{(who is null ? "" : $" by {who}")}{(when is null ? "" : $" at {when}")}; nothing changed.",
            _ => "This approval has expired; nothing changed. The requester can ask again.",
        };
    }

    private async Task<IReadOnlyList<string>> ApproversAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        var approvers = new List<string>();
        if (request.Approvers.Manager && await ManagerOfAsync(await directory.FindAsync(request.Requester, cancellationToken), request.Requester, cancellationToken) is { } manager
            && !Same(manager, request.Requester))
        {
            approvers.Add(manager);
            var now = clock.GetUtcNow();
            approvers.AddRange(Options.Delegations.Where(d => Same(d.Manager, manager) && d.IsActive(now) && !Same(d.Delegate, request.Requester)).Select(d => d.Delegate));
        }

        if (request.Approvers.Group is { } group)
        {
            approvers.Add($"group:{group}");
        }

        return [.. approvers.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private async Task<bool> IsSatisfiedAsync(ApprovalRequest request, IReadOnlySet<string> approvedBy, CancellationToken cancellationToken)
    {
        if (!request.Approvers.AllOf || request.Approvers.Group is not { } group)
        {
            return approvedBy.Count > 0;
        }

        // Every known member (but the requester) must approve; the manager, when also named, is one more required approver.
        var required = (await KnownMembersAsync(group, cancellationToken)).Where(m => !Same(m, request.Requester)).ToList();
        if (request.Approvers.Manager && await ManagerOfAsync(await directory.FindAsync(request.Requester, cancellationToken), request.Requester, cancellationToken) is { } manager)
        {
            required.Add(manager);
        }

        return required.Count > 0 && required.All(approvedBy.Contains);
    }

    private async Task<string?> ManagerOfAsync(Person? requester, string requesterId, CancellationToken cancellationToken)
    {
        if (requester?.ManagerId is { } manager)
        {
            return manager;
        }

        if (connector is null)
        {
            return null;
        }

        try
        {
            var boss = await connector.GetManagerAsync(string.IsNullOrEmpty(requester?.Email) ? requesterId : requester.Email, cancellationToken);
            return boss is null ? null : (await directory.FindByEmailAsync(boss.Email, cancellationToken))?.Id ?? boss.Id;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Members the service can name: configured members and directory people in a team of that name.</summary>
    private async Task<IReadOnlyList<string>> KnownMembersAsync(string group, CancellationToken cancellationToken)
    {
        var members = new List<string>(Options.Groups.GetValueOrDefault(group) ?? []);
        members.AddRange((await directory.ListAsync(cancellationToken)).Where(p => p.Teams.Contains(group, StringComparer.OrdinalIgnoreCase)).Select(p => p.Id));
        return [.. members.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private async Task<bool> IsInGroupAsync(string personId, string group, CancellationToken cancellationToken)
    {
        if (Options.Groups.GetValueOrDefault(group)?.Contains(personId, StringComparer.OrdinalIgnoreCase) == true)
        {
            return true;
        }

        return await GroupMembership.IsMemberAsync(directory, connector, personId, group, cancellationToken);
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Describe(ApproverSpec spec, Person? requester)
    {
        var manager = requester is null ? "the requester's manager (or their delegate while away)" : $"{requester.DisplayName}'s manager (or their delegate while away)";
        var group = spec.Group is { } g ? (spec.AllOf ? $"the members of {g}" : $"a member of {g}") : null;
        return (spec.Manager, group) switch
        {
            (true, null) => manager,
            (false, { } gr) => gr,
            (true, { } gr) => $"{manager} or {gr}",
            _ => "nobody",
        };
    }
}
