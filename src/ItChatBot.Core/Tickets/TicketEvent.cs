using System.Globalization;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Tickets;

/// <summary>
/// One entry of the append-only event log. <see cref="Id"/> makes appends idempotent: the store
/// refuses a second event with the same id. <see cref="Seq"/> is the log position the store assigns.
/// </summary>
public sealed record TicketEvent
{
    public required string Id { get; init; }
    public long Seq { get; init; }
    public string? Ticket { get; init; }
    public required EventType Type { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required ActorKind ActorKind { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init; } = EmptyData;

    private static readonly IReadOnlyDictionary<string, string> EmptyData = new Dictionary<string, string>();

    public string? Get(string key) => Data.TryGetValue(key, out var value) ? value : null;

    public int? GetInt(string key) =>
        int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public DateTimeOffset? GetTime(string key) =>
        DateTimeOffset.TryParse(Get(key), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : null;

    public bool IsAutomation => ActorKind == ActorKind.Automation;

    public bool IsAgent => ActorKind == ActorKind.Agent;

    public static TicketEvent New(
        string? ticket,
        EventType type,
        DateTimeOffset at,
        string actor,
        ActorKind actorKind,
        IReadOnlyDictionary<string, string>? data = null,
        string? id = null) => new()
    {
        Id = id ?? NewId.Next(),
        Ticket = ticket,
        Type = type,
        At = Truncate(at),
        Actor = actor,
        ActorKind = actorKind,
        Data = data ?? EmptyData,
    };

    /// <summary>Stores keep milliseconds in UTC; truncating here keeps live and reloaded events equal.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}
