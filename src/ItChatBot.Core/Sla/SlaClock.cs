namespace ItChatBot.Core.Sla;

/// <summary>A ticket's two SLA clocks at an instant.</summary>
public sealed record SlaClock(string Priority, SlaTimer Response, SlaTimer Resolution);
