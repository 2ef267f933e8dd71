namespace ItChatBot.Core.Directory;

/// <summary>A support team's settings (DESIGN §6 <c>SupportTeams:NAME</c>).</summary>
public sealed class SupportTeam
{
    public string Name { get; set; } = "";

    /// <summary>False drops the team, one of the four defaults included (<c>SupportTeams:Finance:Enabled=false</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Ticket key prefix: IT, SEC, HR, FIN.</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>The queue's conversation per channel, e.g. <c>{"slack": "C0123", "web": "queue-it"}</c>.</summary>
    public Dictionary<string, string> QueueChannels { get; set; } = [];

    public List<string> Categories { get; set; } = [];

    public string TimeZone { get; set; } = "UTC";

    /// <summary><c>24x7</c>, or working days and hours.</summary>
    public BusinessHours BusinessHours { get; set; } = new();

    /// <summary>Targets per priority (P1..P4).</summary>
    public Dictionary<string, SlaTarget> Sla { get; set; } = [];
}

public sealed class BusinessHours
{
    /// <summary><c>Mon-Fri</c>, <c>Mon,Tue,Thu</c>, or <c>24x7</c> for a clock that always runs.</summary>
    public string Days { get; set; } = "Mon-Fri";

    public TimeOnly Start { get; set; } = new(9, 0);

    public TimeOnly End { get; set; } = new(17, 0);

    public List<DateOnly> Holidays { get; set; } = [];

    public bool IsAlways => string.Equals(Days, "24x7", StringComparison.OrdinalIgnoreCase);
}

public sealed class SlaTarget
{
    public TimeSpan? FirstResponse { get; set; }

    public TimeSpan? Resolution { get; set; }

    /// <summary>
    /// The tier (<c>L2</c>, <c>L3</c>) a ticket of this priority is escalated to when its resolution SLA is breached while it
    /// is below that tier; empty = the breach notice alone.
    /// </summary>
    public string? EscalateOnBreach { get; set; }
}
