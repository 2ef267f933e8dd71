using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Audit;

/// <summary>
/// Writes an audit entry for every approval, access and override event in the event log that has none yet, whatever
/// wrote the event (the workflow engine's grant step, the revocation service, an import). Entry ids derive from event
/// ids (<c>event:ID</c>), the same ids the approval code uses when it audits directly, so nothing is audited twice.
/// </summary>
public sealed class EventAuditProjector(IEventLog log, IAuditLog audit)
{
    private long _checkpoint;

    private static readonly Dictionary<EventType, string> Audited = new()
    {
        [EventType.ApprovalRequested] = AuditActions.ApprovalRequested,
        [EventType.ApprovalDecided] = AuditActions.ApprovalDecided,
        [EventType.ApprovalExpired] = AuditActions.ApprovalExpired,
        [EventType.Overridden] = AuditActions.Overridden,
        [EventType.AccessGranted] = AuditActions.AccessGranted,
        [EventType.AccessRevoked] = AuditActions.AccessRevoked,
    };

    /// <summary>Audits what was appended since the last pass; returns how many events it looked at.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var seen = 0;
        await foreach (var e in log.ReadAllAsync(Interlocked.Read(ref _checkpoint), cancellationToken))
        {
            seen++;
            if (Audited.TryGetValue(e.Type, out var action))
            {
                var data = new Dictionary<string, string>(e.Data) { ["event"] = e.Type.ToString(), ["actorKind"] = e.ActorKind.ToString() };
                await audit.AppendAsync(AuditRecord.New(e.At, e.Actor, action, e.Ticket ?? "", data, $"event:{e.Id}"), cancellationToken);
            }

            Interlocked.Exchange(ref _checkpoint, e.Seq);
        }

        return seen;
    }
}
