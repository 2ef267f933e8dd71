using ItChatBot.Core.Tickets;
using ItChatBot.Testing;
using static ItChatBot.Kpi.Tests.KpiHistory;

namespace ItChatBot.Kpi.Tests;

/// <summary>DESIGN §4 access audit: overdue revocations (expired, not revoked) are counted and shown first.</summary>
public sealed class AccessAuditTests
{
    private static Events Grant(string ticket, DateTimeOffset at, string resource, DateTimeOffset expires, params (string Key, string Value)[] extra) =>
        Events.Of(ticket).Created(at.AddHours(-1), "P3", "IT", "access", "U1")
            .Add(EventType.AccessGranted, at, "automation", ActorKind.Automation,
                [(EventData.Resource, resource), (EventData.Role, "member"), (EventData.Approver, "M1"), (EventData.ExpiresAt, expires.ToString("O")), .. extra]);

    private static List<TicketEvent> Revoke(string ticket, DateTimeOffset at, string resource, string outcome, params (string Key, string Value)[] extra) =>
        [.. Events.Of(ticket).Add(EventType.AccessRevoked, at, "automation", ActorKind.Automation,
            [(EventData.Resource, resource), (EventData.Role, "member"), (EventData.Outcome, outcome), .. extra]).List];

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

    [Fact]
    public void The_access_card_lists_the_events_overdue_first_then_the_newest()
    {
        using var fx = KpiFixture.With([
            .. Grant("IT-20", At("2026-02-02T10:00"), "vpn-users", At("2026-02-09T10:00")).List,
            .. Revoke("IT-20", At("2026-02-09T10:00"), "vpn-users", "revoked"),
            .. Grant("IT-21", At("2026-02-24T10:00"), "finance-share", At("2026-03-03T10:00")).List,
            .. Revoke("IT-21", At("2026-03-03T10:00"), "finance-share", "failed")]);

        var card = ItChatBot.Core.Kpi.KpiCards.Metric(fx.Get("access"), TimeZoneInfo.Utc);

        Assert.Equal(["ticket", "event", "resource", "requester", "approver", "at", "expires", "outcome"], card.Table!.Columns);
        Assert.Equal(["IT-21", "granted", "finance-share", "U1", "M1", "2026-02-24 10:00", "2026-03-03 10:00", "overdue: not revoked"], card.Table.Rows[0]);
        Assert.Equal(["IT-21 granted", "IT-20 revoked", "IT-20 granted"], card.Table.Rows.Skip(1).Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal("1", card.Fields.Single(f => f.Label == "Overdue revocations").Value);

        // In chat the people are named (the ids to look up are those the card shows); one not found keeps its id.
        var access = fx.Get("access");
        Assert.Equal(["U1", "M1"], ItChatBot.Core.Kpi.KpiCards.PeopleIn(access));
        var named = ItChatBot.Core.Kpi.KpiCards.Metric(access, TimeZoneInfo.Utc, people: new Dictionary<string, string> { ["U1"] = "Uma One" });
        Assert.Equal(["IT-21", "granted", "finance-share", "Uma One", "M1"], named.Table!.Rows[0].Take(5));
    }

    [Fact]
    public void A_grant_to_someone_already_a_member_shows_it_and_its_revocation_says_the_membership_was_kept()
    {
        // IT-30: a standing AWS admin was granted 2 hours of admin; at expiry the grant ended and the membership stayed.
        // IT-31: a grant recorded before grants carried the flag. Period February, now = 10 Mar.
        using var fx = KpiFixture.With([
            .. Grant("IT-30", At("2026-02-10T10:00"), "aws", At("2026-02-10T12:00"), ("alreadyMember", "true")).List,
            .. Revoke("IT-30", At("2026-02-10T12:00"), "aws", "revoked", ("keptBy", "standing")),
            .. Grant("IT-31", At("2026-02-12T10:00"), "vpn-users", At("2026-03-20T10:00")).List]);

        var access = fx.Get("access");

        Assert.Equal(0, access.Extra["overdueRevocations"]);
        var rows = Assert.IsType<List<Dictionary<string, object?>>>(access.Extra["rows"]);
        Assert.Equal(3, rows.Count);
        var granted = Assert.Single(rows, r => (string?)r["ticket"] == "IT-30" && (string?)r["event"] == "AccessGranted");
        Assert.Equal(true, granted["alreadyMember"]);
        var ended = Assert.Single(rows, r => (string?)r["ticket"] == "IT-30" && (string?)r["event"] == "AccessRevoked");
        Assert.Equal(("revoked", "standing"), (ended["outcome"], ended["keptBy"]));
        var older = Assert.Single(rows, r => (string?)r["ticket"] == "IT-31");
        Assert.Equal((null, null), (older["alreadyMember"], older["keptBy"]));
    }
}
