using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Tickets;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary>The engine over a real LiteDB file holding <see cref="KpiHistory"/>.</summary>
public sealed class KpiFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public KpiFixture()
    {
        (Store, Clock, Index, Engine) = Build(KpiHistory.All(), null, KpiHistory.Now);
    }

    private KpiFixture(IReadOnlyList<TicketEvent> events, KpiOptions? options, DateTimeOffset now)
    {
        (Store, Clock, Index, Engine) = Build(events, options, now);
    }

    /// <summary>A separate fixture for a test that changes settings, the clock or the log.</summary>
    public static KpiFixture With(IReadOnlyList<TicketEvent> events, KpiOptions? options = null, DateTimeOffset? now = null) => new(events, options, now ?? KpiHistory.Now);

    private (LiteDbStore, FakeTimeProvider, KpiIndex, KpiEngine) Build(IReadOnlyList<TicketEvent> events, KpiOptions? options, DateTimeOffset now)
    {
        var store = new LiteDbStore(_folder.File("kpi.db"));
        store.AppendAsync(events).GetAwaiter().GetResult();
        var teams = new SupportTeams([]);
        var clock = new FakeTimeProvider(now);
        var index = new KpiIndex(store, new SlaPolicies(teams));
        return (store, clock, index, new KpiEngine(index, teams, Options.Create(options ?? new KpiOptions()), clock));
    }

    public LiteDbStore Store { get; }
    public FakeTimeProvider Clock { get; }
    public KpiIndex Index { get; }
    public KpiEngine Engine { get; }

    public KpiResult Get(string metric, string? team = "IT", string? by = null, string? tech = null, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Engine.ComputeAsync(new KpiRequest(metric, team, from ?? KpiHistory.From, to ?? KpiHistory.To, by, tech)).GetAwaiter().GetResult();

    public void Dispose()
    {
        Store.Dispose();
        _folder.Dispose();
    }
}
