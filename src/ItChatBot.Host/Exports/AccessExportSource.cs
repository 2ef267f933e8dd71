using ItChatBot.Core.Audit;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.Exports;

/// <summary>Access grants and revocations for a period, one row per grant (DESIGN §4 "Access audit").</summary>
public sealed class AccessExportSource(IEventLog log, TimeProvider clock) : IExportSource
{
    public string Name => "access";

    public string Description => "access events: requester, approver, resource, granted at, expires at, revoked at, outcome, already a member (kept at revocation)";

    public async Task<ExportFile> ExportAsync(ExportPeriod period, CancellationToken cancellationToken)
    {
        var events = new List<Core.Tickets.TicketEvent>();
        await foreach (var e in log.ReadAllAsync(0, cancellationToken))
        {
            // Later events count too: a grant of the period that was revoked afterwards shows its revocation.
            events.Add(e);
        }

        var rows = AccessLedger.Build(events, period.From, period.To, clock.GetUtcNow());
        var content = Csv.Write(
            ["ticket", "requester", "approver", "resource", "role", "granted_at", "expires_at", "revoked_at", "outcome", "already_member"],
            rows.Select(r => (IReadOnlyList<string>)
                [r.Ticket, r.Requester, r.Approver, r.Resource, r.Role, Csv.Time(r.GrantedAt), Csv.Time(r.ExpiresAt), Csv.Time(r.RevokedAt), r.Outcome,
                    r.AlreadyMember switch { true => "true", false => "false", null => "" }]));
        return new ExportFile($"access_{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv", content, rows.Count);
    }
}
