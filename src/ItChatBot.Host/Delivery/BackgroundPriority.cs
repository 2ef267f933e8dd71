namespace ItChatBot.Host.Delivery;

/// <summary>Whether the after-ack loops run below the request threads (<c>Host:LowerBackgroundPriority</c>, default true); see <see cref="BackgroundLane"/>.</summary>
public sealed record BackgroundPriority(bool Lower);
