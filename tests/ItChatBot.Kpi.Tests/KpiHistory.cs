using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary>
/// A small hand-written history whose every KPI is worked out by hand in the tests. Team IT is London,
/// Mon-Fri 09-17 (UTC in February), default targets P1 4h/15m, P2 8h/1h, P3 24h/4h, P4 40h/8h.
/// The period under test is February 2026 [02-01, 03-01); the previous period is [01-04, 02-01). Now = 03-10 12:00Z.
/// </summary>
public static class KpiHistory
{
    public static readonly DateTimeOffset Now = At("2026-03-10T12:00");
    public static readonly DateTimeOffset From = At("2026-02-01T00:00");
    public static readonly DateTimeOffset To = At("2026-03-01T00:00");

    public static DateTimeOffset At(string local) => DateTimeOffset.Parse(local + ":00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static List<TicketEvent> All()
    {
        var all = new List<TicketEvent>();

        // Previous period: resolved in 4 h by an agent.
        all.AddRange(Events.Of("IT-100").Created(At("2026-01-20T09:00"), "P2", "IT", "access", "U1")
            .Assigned(At("2026-01-20T09:10"), "A1").Responded(At("2026-01-20T09:20"), "A1", ActorKind.Agent)
            .Resolved(At("2026-01-20T13:00"), "A1", ActorKind.Agent).List);

        // IT-1: AI-resolved in 30 min (Mon 2 Feb); CSAT 5.
        all.AddRange(Events.Of("IT-1").Created(At("2026-02-02T09:00"), "P2", "IT", "access", "U1")
            .WorkflowStarted(At("2026-02-02T09:00")).Responded(At("2026-02-02T09:01"), "automation", ActorKind.Automation)
            .WorkflowCompleted(At("2026-02-02T09:30")).Resolved(At("2026-02-02T09:30"))
            .Add(EventType.SurveySent, At("2026-02-02T10:00"), "automation", ActorKind.Automation)
            .Survey(At("2026-02-02T11:00"), 5, "U1").List);

        // IT-2: unassisted, 26 h (10 business hours); SLA P2 breached at Tue 10:00; followed up by IT-5; CSAT 2.
        all.AddRange(Events.Of("IT-2").Created(At("2026-02-02T10:00"), "P2", "IT", "hardware", "U2")
            .Assigned(At("2026-02-02T10:10"), "A1").Responded(At("2026-02-02T10:30"), "A1", ActorKind.Agent)
            .Resolved(At("2026-02-03T12:00"), "A1", ActorKind.Agent)
            .Add(EventType.SurveySent, At("2026-02-03T13:00"), "automation", ActorKind.Automation)
            .Survey(At("2026-02-03T14:00"), 2, "U2").List);

        // IT-3: a workflow failed, overridden, escalated A1 → A2; AI-assisted; 4 h; survey sent, never answered.
        all.AddRange(Events.Of("IT-3").Created(At("2026-02-04T09:00"), "P3", "IT", "software", "U3")
            .WorkflowStarted(At("2026-02-04T09:00")).WorkflowFailed(At("2026-02-04T09:05"))
            .Overridden(At("2026-02-04T09:08"), "A1").Assigned(At("2026-02-04T09:10"), "A1")
            .Add(EventType.Escalated, At("2026-02-04T10:00"), "A1", ActorKind.Agent, (EventData.ToTier, "L2"), (EventData.Assignee, "A2"))
            .Responded(At("2026-02-04T10:30"), "A2", ActorKind.Agent).Resolved(At("2026-02-04T13:00"), "A2", ActorKind.Agent)
            .Add(EventType.SurveySent, At("2026-02-04T14:00"), "automation", ActorKind.Automation).List);

        // IT-4: P1 resolved, reopened, resolved again: final 12:00 (3 h); SLA clock stopped 10-11, deadline 14:00, met; CSAT 4.
        all.AddRange(Events.Of("IT-4").Created(At("2026-02-05T09:00"), "P1", "IT", "network", "U4")
            .Assigned(At("2026-02-05T09:05"), "A2").Responded(At("2026-02-05T09:10"), "A2", ActorKind.Agent)
            .Resolved(At("2026-02-05T10:00"), "A2", ActorKind.Agent).Reopened(At("2026-02-05T11:00"), "U4")
            .Resolved(At("2026-02-05T12:00"), "A2", ActorKind.Agent)
            .Add(EventType.SurveySent, At("2026-02-05T13:00"), "automation", ActorKind.Automation)
            .Survey(At("2026-02-05T14:00"), 4, "U4").List);

        // IT-5: P4 still open with no response: response SLA breached Fri 17:00, resolution SLA breached Thu 12 Feb 17:00.
        all.AddRange(Events.Of("IT-5").Created(At("2026-02-06T09:00"), "P4", "IT", "hardware", "U2").List);

        // IT-6: created on the last evening of February, resolved in March (period boundary).
        all.AddRange(Events.Of("IT-6").Created(At("2026-02-28T23:00"), "P3", "IT", "access", "U1")
            .Assigned(At("2026-02-28T23:30"), "A1").Responded(At("2026-03-01T00:30"), "A1", ActorKind.Agent)
            .Resolved(At("2026-03-01T01:00"), "A1", ActorKind.Agent).List);

        // IT-7: created exactly at the end of February: in March's volume, yet open "at" 03-01 00:00.
        all.AddRange(Events.Of("IT-7").Created(At("2026-03-01T00:00"), "P3", "IT", "general", "U5").List);

        // HR-1: another team, resolved in 2 h, CSAT 3.
        all.AddRange(Events.Of("HR-1").Created(At("2026-02-10T09:00"), "P3", "HR", "payroll", "U6")
            .Assigned(At("2026-02-10T09:30"), "hana").Responded(At("2026-02-10T10:00"), "hana", ActorKind.Agent)
            .Resolved(At("2026-02-10T11:00"), "hana", ActorKind.Agent)
            .Add(EventType.SurveySent, At("2026-02-10T12:00"), "automation", ActorKind.Automation)
            .Survey(At("2026-02-10T13:00"), 3, "U6").List);

        all.Add(TicketEvent.New(null, EventType.Deflected, At("2026-02-03T08:00"), "U7", ActorKind.Requester,
            new Dictionary<string, string> { [EventData.Team] = "IT", [EventData.Category] = "vpn", [EventData.Article] = "kb/vpn.md" }));
        return all;
    }
}
