namespace ItChatBot.Core.Queues;

/// <summary>
/// Deterministic ids, so that a repeated pass or a concurrent one produces the same event or message id and the
/// store refuses the second (the event log skips known event ids; the outbox's message id is unique).
/// </summary>
public static class QueueIds
{
    public static string Post(string ticket, string team) => $"{ticket}|{team.ToUpperInvariant()}";

    public static string PostMessage(string ticket, string team, string channel) =>
        $"queue-post:{ticket}:{team.ToUpperInvariant()}:{channel}";

    /// <summary>The web chat has no platform thread ids: a queue card's thread is named after its ticket.</summary>
    public static string WebThread(string ticket, string team) => $"queue-{ticket}-{team.ToUpperInvariant()}";

    /// <summary>The <c>Escalated</c> event of a ticket's resolution SLA breach at a priority: one per ticket and priority.</summary>
    public static string SlaEscalation(string ticket, string priority) => $"sla-escalation:{ticket}:resolution:{priority}";

    public static string SurveySentEvent(string resolutionEventId) => $"survey-sent:{resolutionEventId}";

    public static string SurveyMessage(string resolutionEventId) => $"survey:{resolutionEventId}";
}
