namespace ItChatBot.Core.Tickets;

/// <summary>Names of the type-specific fields an event may carry (DESIGN §2 and §6).</summary>
public static class EventData
{
    public const string Team = "team";
    public const string Category = "category";
    public const string Priority = "priority";
    public const string Requester = "requester";
    public const string Channel = "channel";
    public const string Subject = "subject";
    public const string Conversation = "conversation";
    public const string Thread = "thread";

    /// <summary>On <c>Created</c>: the platform id of the delivery (a slash command, a button press, a form) that opened the ticket.</summary>
    public const string Delivery = "delivery";

    public const string Status = "status";
    public const string Assignee = "assignee";
    public const string FromTier = "fromTier";
    public const string ToTier = "toTier";
    public const string FromTeam = "fromTeam";
    public const string ToTeam = "toTeam";
    public const string Workflow = "workflow";
    public const string Run = "run";
    public const string Step = "step";
    public const string Error = "error";
    public const string Approver = "approver";
    public const string Decision = "decision";
    public const string By = "by";
    public const string Reason = "reason";
    public const string Resource = "resource";
    public const string Role = "role";
    public const string ExpiresAt = "expiresAt";
    public const string Outcome = "outcome";
    public const string Score = "score";
    public const string Article = "article";
    public const string Note = "note";
    public const string Tier = "tier";
}
