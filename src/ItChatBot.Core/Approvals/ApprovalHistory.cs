using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Approvals;

/// <summary>One approval (a run's approval step) as the event log has it: the request, the decisions, an expiry.</summary>
public sealed record ApprovalHistory(TicketEvent? Requested, IReadOnlyList<TicketEvent> Decisions, TicketEvent? Expired)
{
    /// <summary>Data keys the approval events carry beyond <see cref="EventData"/>.</summary>
    public const string Spec = "approvers";
    public const string Notified = "notified";

    /// <summary>The people who got the request as a direct message (their copies are updated on a decision).</summary>
    public IReadOnlyList<string> NotifiedPeople =>
        Requested?.Get(Notified) is { Length: > 0 } list ? list.Split(',') : [];

    public ApproverSpec Approvers => ApproverSpec.TryParse(Requested?.Get(Spec), out _) ?? ApproverSpec.ManagerOnly;

    public string Summary => Requested?.Get(EventData.Note) ?? "";

    public static ApprovalHistory Of(IEnumerable<TicketEvent> ticketEvents, string runId, int stepIndex)
    {
        TicketEvent? requested = null, expired = null;
        var decisions = new List<TicketEvent>();
        foreach (var e in ticketEvents)
        {
            if (e.Get(EventData.Run) != runId || e.GetInt(EventData.Step) != stepIndex)
            {
                continue;
            }

            switch (e.Type)
            {
                case EventType.ApprovalRequested:
                    requested ??= e;
                    break;
                case EventType.ApprovalDecided:
                    decisions.Add(e);
                    break;
                case EventType.ApprovalExpired:
                    expired ??= e;
                    break;
            }
        }

        return new ApprovalHistory(requested, decisions, expired);
    }

    /// <summary>Every approval step of every run on the ticket that was requested, keyed by (run, step).</summary>
    public static IEnumerable<(string Run, int Step)> RequestedSteps(IEnumerable<TicketEvent> ticketEvents) =>
        ticketEvents
            .Where(e => e.Type == EventType.ApprovalRequested && e.Get(EventData.Run) is not null && e.GetInt(EventData.Step) is not null)
            .Select(e => (e.Get(EventData.Run)!, e.GetInt(EventData.Step)!.Value))
            .Distinct();

    public bool IsApproval(TicketEvent decision) => decision.Get(EventData.Decision) == ApprovalGate.Approved;
}
