using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using static ItChatBot.Kpi.Tests.KpiHistory;

namespace ItChatBot.Kpi.Tests;

/// <summary>DESIGN §4 access audit: overdue revocations (expired, not revoked) are counted and shown first.</summary>
public sealed class AccessAuditTests
{
    private static Events Grant(string ticket, DateTimeOffset at, string resource, DateTimeOffset expires) =>
        Events.Of(ticket).Created(at.AddHours(-1), "P3", "IT", "access", "U1")
            .Add(EventType.AccessGranted, at, "automation", ActorKind.Automation,
                (EventData.Resource, resource), (EventData.Role, "member"), (EventData.Approver, "M1"), (EventData.ExpiresAt, expires.ToString("O")));

    private static List<TicketEvent> Revoke(string ticket, DateTimeOffset at, string resource, string outcome) =>
        [.. Events.Of(ticket).Add(EventType.AccessRevoked, at, "automation", ActorKind.Automation,
            (EventData.Resource, resource), (EventData.Role, "member"), (EventData.Outcome, outcome)).List];

    [Fact]
    public async Task A_failed_revocation_leaves_the_grant_overdue_until_a_revocation_succeeds()
    {
        // IT-20: granted 2 Feb, expired 9 Feb, revoked on time: not overdue. IT-21: granted 24 Feb, expires 3 Mar; the
        // revocation on 3 Mar failed (the directory call failed, the grant is still active). Now = 10 Mar.
        using var fx = KpiFixture.With([
            .. Grant("IT-20", At("2026-02-02T10:00"), "vpn-users", At("2026-02-09T10:00")).List,
            .. Revoke("IT-20", At("2026-02-09T10:00"), "vpn-users", "revoked"),
            .. Grant("IT-21", At("2026-02-24T10:00"), "finance-share", At("2026-03-03T10:00")).List,
            .. Revoke("IT-21", At("2026-03-03T10:00"), "finance-share", "failed")]);

        var access = fx.Get("access");
        Assert.Equal(1, access.Extra["overdueRevocations"]);
        var rows = Assert.IsType<List<Dictionary<string, object?>>>(access.Extra["rows"]);
        Assert.Equal("IT-21", rows[0]["ticket"]);
        Assert.Equal("finance-share", rows[0]["resource"]);
        Assert.Equal(true, rows[0]["overdue"]);
        Assert.All(rows.Skip(1), r => Assert.Equal(false, r["overdue"]));

        // The next pass revokes it: nothing is overdue any more.
        await fx.Store.AppendAsync(Revoke("IT-21", At("2026-03-04T10:00"), "finance-share", "revoked"));
        var after = fx.Get("access");
        Assert.Equal(0, after.Extra["overdueRevocations"]);
        Assert.All(Assert.IsType<List<Dictionary<string, object?>>>(after.Extra["rows"]), r => Assert.Equal(false, r["overdue"]));
    }
}
