using ItChatBot.Core.Audit;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Approvals.Tests;

public sealed class AccessLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_failed_revocation_leaves_the_grant_open_until_a_later_attempt_succeeds()
    {
        var events = Events.Of("IT-1").Created(T0, requester: "erin").Approved(T0.AddMinutes(5), "dave").List.ToList();
        events.Add(Access(EventType.AccessGranted, T0.AddMinutes(6), ("grant", "g1"), (EventData.ExpiresAt, "2026-03-03T09:00:00Z")));
        events.Add(Access(EventType.AccessRevoked, T0.AddDays(1), ("grant", "g1"), (EventData.Outcome, "failed")));

        var failed = Assert.Single(AccessLedger.Build(events, T0, T0.AddDays(7), T0.AddDays(1).AddMinutes(1)));
        Assert.Equal(("erin", "dave", "revoke-failed", (DateTimeOffset?)null), (failed.Requester, failed.Approver, failed.Outcome, failed.RevokedAt));

        events.Add(Access(EventType.AccessRevoked, T0.AddDays(1).AddMinutes(1), ("grant", "g1"), (EventData.Outcome, "revoked")));
        var revoked = Assert.Single(AccessLedger.Build(events, T0, T0.AddDays(7), T0.AddDays(2)));
        Assert.Equal((AccessLedger.Revoked, T0.AddDays(1).AddMinutes(1)), (revoked.Outcome, revoked.RevokedAt!.Value));
    }

    [Fact]
    public void An_old_grant_that_expired_and_was_never_revoked_shows_as_overdue_in_a_later_period()
    {
        var events = Events.Of("IT-1").Created(T0.AddDays(-40)).List.ToList();
        events.Add(Access(EventType.AccessGranted, T0.AddDays(-40), ("grant", "g1"), (EventData.ExpiresAt, "2026-01-25T09:00:00Z")));

        var row = Assert.Single(AccessLedger.Build(events, T0.AddDays(-7), T0, T0));
        Assert.Equal(AccessLedger.Overdue, row.Outcome);
        Assert.Empty(AccessLedger.Build(events, T0.AddDays(-60), T0.AddDays(-50), T0));
    }

    private static TicketEvent Access(EventType type, DateTimeOffset at, params (string Key, string Value)[] data) =>
        TicketEvent.New("IT-1", type, at, "automation", ActorKind.Automation,
            data.Append((Key: EventData.Resource, Value: "github")).ToDictionary(d => d.Key, d => d.Value));
}
