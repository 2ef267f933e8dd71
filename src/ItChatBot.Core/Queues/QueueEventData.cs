namespace ItChatBot.Core.Queues;

/// <summary>Data keys the queues add to events, beside <see cref="Tickets.EventData"/>.</summary>
public static class QueueEventData
{
    /// <summary>On a follow-up ticket's <c>Created</c>: the resolved ticket it follows up.</summary>
    public const string LinkedTo = "linkedTo";

    /// <summary>On <c>SurveySent</c> and <c>SurveyAnswered</c>: the id of the <c>Resolved</c> event the survey is about.</summary>
    public const string Resolution = "resolution";

    /// <summary>On a changed <c>SurveyAnswered</c>: the id of the answer it replaces (count only the latest per resolution).</summary>
    public const string Replaces = "replaces";

    /// <summary>On <c>PriorityChanged</c>: the priority before.</summary>
    public const string FromPriority = "fromPriority";

    /// <summary>On <c>CategoryChanged</c>: the category before.</summary>
    public const string FromCategory = "fromCategory";

    /// <summary>On a duplicate's <c>Resolved</c>: the ticket it duplicates.</summary>
    public const string DuplicateOf = "duplicateOf";

    /// <summary>On <c>DuplicateLinked</c>: the ticket resolved as a duplicate of this one.</summary>
    public const string Duplicate = "duplicate";
}
