namespace ItChatBot.Core.Sla;

/// <summary>
/// One SLA clock (first response or resolution) of a ticket, as it stood at <see cref="AsOf"/>.
/// </summary>
/// <param name="Target">The business time allowed for the ticket's current priority; null = no SLA.</param>
/// <param name="Elapsed">Business time the clock has run up to <see cref="AsOf"/>.</param>
/// <param name="Deadline">The instant the clock reached its target, or will reach it if it keeps running;
/// null when it has not reached the target and is paused or stopped.</param>
/// <param name="CompletedAt">When the clock stopped for good (first response; final resolution); null while open.</param>
/// <param name="IsRunning">Whether the clock runs at <see cref="AsOf"/> (it may still be outside business hours).</param>
public sealed record SlaTimer(
    TimeSpan? Target,
    TimeSpan Elapsed,
    DateTimeOffset? Deadline,
    DateTimeOffset? CompletedAt,
    bool IsRunning,
    DateTimeOffset AsOf)
{
    public bool HasTarget => Target is not null;

    public bool IsPaused => CompletedAt is null && !IsRunning;

    /// <summary>Completed by its deadline (a completion at the deadline itself is in time).</summary>
    public bool IsMet => HasTarget && CompletedAt is { } done && (Deadline is null || done <= Deadline);

    /// <summary>The deadline has passed without completion by then, whether the ticket is still open or completed late.</summary>
    public bool IsBreached => HasTarget && Deadline is { } d && d <= AsOf && (CompletedAt is not { } done || done > d);

    /// <summary>Business time left before the target (negative once breached); null without a target.</summary>
    public TimeSpan? TimeLeft => Target - Elapsed;

    /// <summary>
    /// DESIGN §4: the instant at which the ticket counts for SLA compliance, min(completion, deadline),
    /// once it is decided; null while it is neither met nor breached.
    /// </summary>
    public DateTimeOffset? DecidedAt => IsBreached ? Deadline : IsMet ? CompletedAt : null;
}
