namespace ItChatBot.Core.Kpi;

/// <summary>A lead's check-in note on a technician, stored with the figures they were looking at.</summary>
public sealed record Checkin(string Id, string Technician, string Lead, DateTimeOffset At, string Note, string SnapshotJson);

/// <summary>Where check-ins are kept (the LiteDB file by default).</summary>
public interface ICheckinStore
{
    Task AddAsync(Checkin checkin, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Checkin>> ListAsync(string technician, CancellationToken cancellationToken = default);
}
