using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Audit;

/// <summary>
/// Access grants and their revocations, read from the event log (DESIGN §4 "Access audit"): who got what,
/// who approved it, when it was granted, when it expires, when it was revoked, and how it ended.
/// </summary>
public static class AccessLedger
{
    public const string Active = "active";
    public const string Overdue = "overdue";
    public const string Revoked = "revoked";

    /// <summary>
    /// Rows for every grant granted or revoked in <c>[from, to)</c>, or expired by <c>to</c> and still not revoked
    /// (overdue), in grant order. A revocation belongs to the grant it names (<c>grant</c>), else to the earliest
    /// unrevoked grant of the same ticket and resource; a failed attempt leaves the grant open. The approver is the grant's own
    /// <c>approver</c>/<c>by</c> field or else the last approval recorded on its ticket before it.
    /// </summary>
    public static IReadOnlyList<AccessRow> Build(IEnumerable<TicketEvent> events, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var requesters = new Dictionary<string, string>(StringComparer.Ordinal);
        var lastApprover = new Dictionary<string, string>(StringComparer.Ordinal);
        var grants = new List<Grant>();
        var orphans = new List<AccessRow>();
        foreach (var e in events)
        {
            var ticket = e.Ticket ?? "";
            switch (e.Type)
            {
                case EventType.Created:
                    requesters[ticket] = e.Get(EventData.Requester) ?? e.Actor;
                    break;
                case EventType.ApprovalDecided when e.Get(EventData.Decision) == "approved":
                    lastApprover[ticket] = e.Actor;
                    break;
                case EventType.AccessGranted:
                    grants.Add(new Grant(
                        e.Get("grant"),
                        ticket,
                        e.Get(EventData.Requester) ?? requesters.GetValueOrDefault(ticket, ""),
                        e.Get(EventData.Approver) ?? e.Get(EventData.By) ?? lastApprover.GetValueOrDefault(ticket, ""),
                        e.Get(EventData.Resource) ?? "",
                        e.Get(EventData.Role) ?? "",
                        e.At,
                        e.GetTime(EventData.ExpiresAt),
                        e.Get("alreadyMember") switch { "true" => true, "false" => false, _ => null }));
                    break;
                case EventType.AccessRevoked:
                    var resource = e.Get(EventData.Resource) ?? "";
                    var outcome = e.Get(EventData.Outcome) ?? Revoked;
                    var grantId = e.Get("grant");
                    var grant = grants.FirstOrDefault(g => g.RevokedAt is null && (grantId is not null && g.Id is not null
                        ? g.Id == grantId
                        : g.Ticket == ticket && g.Resource == resource));
                    if (grant is not null && outcome == Revoked)
                    {
                        grant.RevokedAt = e.At;
                        grant.Outcome = outcome;
                    }
                    else if (grant is not null)
                    {
                        // A failed attempt: the grant is still active and the revocation service tries again.
                        grant.Outcome = $"revoke-{outcome}";
                    }
                    else if (e.At >= from && e.At < to)
                    {
                        orphans.Add(new AccessRow(ticket, requesters.GetValueOrDefault(ticket, ""), "", resource, e.Get(EventData.Role) ?? "", null, null, e.At, outcome));
                    }

                    break;
            }
        }

        return
        [
            .. grants
                .Where(g => (g.GrantedAt >= from && g.GrantedAt < to) || (g.RevokedAt is { } r && r >= from && r < to) || (g.RevokedAt is null && g.GrantedAt < to && g.ExpiresAt is { } x && x <= to))
                .Select(g => new AccessRow(g.Ticket, g.Requester, g.Approver, g.Resource, g.Role, g.GrantedAt, g.ExpiresAt, g.RevokedAt,
                    g.Outcome ?? (g.ExpiresAt is { } x && x <= now ? Overdue : Active), g.AlreadyMember)),
            .. orphans,
        ];
    }

    private sealed record Grant(string? Id, string Ticket, string Requester, string Approver, string Resource, string Role, DateTimeOffset GrantedAt, DateTimeOffset? ExpiresAt, bool? AlreadyMember)
    {
        public DateTimeOffset? RevokedAt { get; set; }

        public string? Outcome { get; set; }
    }
}

/// <param name="Outcome"><c>active</c>, <c>overdue</c> (expired, not revoked), <c>revoked</c>, or <c>revoke-failed</c> (the last attempt failed; the service retries).</param>
/// <param name="AlreadyMember">The person was a member before the grant, so its revocation left the membership (null: not recorded, older grants).</param>
public sealed record AccessRow(
    string Ticket,
    string Requester,
    string Approver,
    string Resource,
    string Role,
    DateTimeOffset? GrantedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string Outcome,
    bool? AlreadyMember = null);
