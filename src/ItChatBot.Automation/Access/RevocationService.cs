using System.Globalization;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Steps;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Access;

/// <summary>
/// Revokes expired grants. Grants live in the store, so a restart loses nothing: the first pass after start
/// revokes whatever expired while the service was down. Each revocation is an <c>AccessRevoked</c> event with its
/// outcome; a failed one is recorded too and retried on the next pass, and shows as overdue after the grace period.
/// The requester is told in the request's thread when the access has ended, as they were told when it was granted.
/// </summary>
public sealed partial class RevocationService(
    IAccessGrantStore grants,
    IDirectoryConnector connector,
    IEventLog log,
    ITicketStore tickets,
    IApplicationCatalog applications,
    SupportTeams teams,
    IOptions<AutomationOptions> options,
    TimeProvider clock,
    ILogger<RevocationService> logger)
{
    /// <summary>The <c>keptBy</c> of an <c>AccessRevoked</c> whose grant found the person already a member: the membership stays.</summary>
    public const string Standing = "standing";

    /// <summary>One pass: revokes every grant due now. Returns how many were revoked.</summary>
    public async Task<int> RevokeDueAsync(CancellationToken cancellationToken = default)
    {
        var revoked = 0;
        foreach (var due in await grants.DueAsync(clock.GetUtcNow()))
        {
            // Several instances may run this pass at once (a PostgreSQL store): each grant is revoked by the one that claims
            // it, from the grant as stored now (another pass may have revoked it, or counted a failed attempt, since the list).
            if (await grants.ClaimRevocationAsync(due.Id, cancellationToken) is not { } grant)
            {
                continue;
            }

            try
            {
                if (await RevokeAsync(grant, cancellationToken))
                {
                    revoked++;
                }
            }
            finally
            {
                await grants.ReleaseRevocationAsync(grant.Id, CancellationToken.None);
            }
        }

        return revoked;
    }

    public Task<IReadOnlyList<AccessGrant>> OverdueAsync() => grants.OverdueAsync(clock.GetUtcNow(), options.Value.RevocationGrace);

    private async Task<bool> RevokeAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        var attempt = grant.RevokeAttempts + 1;
        string? error = null;
        // Another grant on the same group that runs longer (a second, later request) still gives this access: the grant
        // ends, the membership stays until that one expires.
        var keptBy = (await grants.ActiveLaterAsync(grant.UserId, grant.Group, clock.GetUtcNow())).FirstOrDefault(g => g.Id != grant.Id);
        // A person who was a member before the grant (a permanent admin who asked for 2 hours of admin) keeps that
        // standing membership: the grant ends, the group is left as it was. Grants recorded without the flag are revoked as before.
        var standing = grant.AlreadyMember == true;
        try
        {
            if (keptBy is null && !standing)
            {
                await connector.RemoveFromGroupAsync(grant.UserId, grant.Group, $"{grant.Id}:revoke", cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ex.Message.Length > 300 ? ex.Message[..300] : ex.Message;
            Log.RevokeFailed(logger, ex, grant.Id, attempt);
        }

        var now = clock.GetUtcNow();
        var data = new Dictionary<string, string>
        {
            [EventData.Resource] = grant.Resource,
            [EventData.Role] = grant.Role,
            [EventData.ExpiresAt] = grant.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
            [EventData.Outcome] = error is null ? "revoked" : "failed",
            [EventData.Requester] = grant.Person,
            [EventData.Run] = grant.RunId,
            ["grant"] = grant.Id,
            ["group"] = grant.Group,
            ["attempt"] = attempt.ToString(CultureInfo.InvariantCulture),
        };
        if (error is not null)
        {
            data[EventData.Error] = error;
        }

        if (standing)
        {
            data["keptBy"] = Standing;
        }
        else if (keptBy is not null)
        {
            data["keptBy"] = keptBy.Id;
            data["keptUntil"] = keptBy.ExpiresAt.ToString("O", CultureInfo.InvariantCulture);
        }

        // The success event's id is per grant, so a pass that crashed after the event but before the store update
        // does not record a second revocation.
        var id = error is null ? $"{grant.Id}:revoked" : $"{grant.Id}:revoke-failed:{attempt}";
        var told = error is null && await tickets.GetAsync(grant.Ticket, cancellationToken) is { Conversation: { } conversation } ticket
            ? new[]
            {
                new OutboundMessage
                {
                    Id = $"{id}:msg",
                    Conversation = new ConversationRef(ticket.Channel, conversation, ticket.Thread),
                    Card = Ended(grant, ticket, keptBy, standing),
                    Ticket = ticket.Key,
                    CreatedAt = now,
                },
            }
            : [];
        await log.AppendAsync([TicketEvent.New(grant.Ticket, EventType.AccessRevoked, now, AutomationMessages.Actor, ActorKind.Automation, data, id)], told, cancellationToken: cancellationToken);
        await grants.SaveAsync(error is null
            ? grant with { State = AccessGrantState.Revoked, RevokedAt = now, RevokeAttempts = attempt, LastError = null }
            : grant with { RevokeAttempts = attempt, LastError = error });
        if (error is null)
        {
            Log.Revoked(logger, grant.Id, grant.Resource, grant.Person);
        }

        return error is null;
    }

    /// <summary>What the requester is told when a grant ends: that it ended, or what access they keep and why.</summary>
    private Card Ended(AccessGrant grant, Ticket ticket, AccessGrant? keptBy, bool standing)
    {
        var name = applications.Find(grant.Resource)?.Name ?? grant.Resource;
        var what = string.Equals(grant.Role, "member", StringComparison.OrdinalIgnoreCase) ? name : $"{name} {grant.Role}";
        var text = standing ? "You keep the access you had before this request."
            : keptBy is not null ? $"You still have it until {SlaView.Local(keptBy.ExpiresAt, teams.ZoneOf(ticket.Team))}, through a later request."
            : $"It was removed at the end of the time granted. If you still need it, ask again, e.g. \"access to {name} for 2 days\".";
        return new Card { Title = $"Your {what} access from {ticket.Key} has ended", Text = text, Context = $"{ticket.Key} · time-bound access" };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Revoked grant {GrantId}: {Resource} for {Person}")]
        public static partial void Revoked(ILogger logger, string grantId, string resource, string person);

        [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "Revoking grant {GrantId} failed (attempt {Attempt}); the next pass retries")]
        public static partial void RevokeFailed(ILogger logger, Exception exception, string grantId, int attempt);
    }
}
