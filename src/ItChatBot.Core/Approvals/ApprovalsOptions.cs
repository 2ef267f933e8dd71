namespace ItChatBot.Core.Approvals;

/// <summary>The <c>Approvals</c> configuration section.</summary>
public sealed class ApprovalsOptions
{
    /// <summary>How long an approval stays open (default 72 h); approvers are reminded at half-time.</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Approver groups kept in configuration: group name → person ids (in addition to the directory's teams and the connector's groups).</summary>
    public Dictionary<string, List<string>> Groups { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Who decides for a manager while they are away.</summary>
    public List<Delegation> Delegations { get; set; } = [];
}

/// <summary><see cref="Delegate"/> decides for <see cref="Manager"/> in <c>[From, To)</c>; without dates, whenever asked.</summary>
public sealed class Delegation
{
    public string Manager { get; set; } = "";

    public string Delegate { get; set; } = "";

    public DateTimeOffset? From { get; set; }

    public DateTimeOffset? To { get; set; }

    public bool IsActive(DateTimeOffset at) => (From is null || From <= at) && (To is null || at < To);
}
