using System.Net.Http.Json;
using ItChatBot.Core.Kpi;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Cli;
using ItChatBot.Storage.Postgres;
using ItChatBot.Testing;

namespace ItChatBot.Host.Tests;

/// <summary>
/// Several instances of the real host on one PostgreSQL database (<c>Storage:Provider=Postgres</c>, DESIGN §1), as a load
/// balancer would run them: each with its own inbound journal, all with one event log, one outbox and one directory.
/// </summary>
public sealed class PostgresInstancesTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;
    private readonly List<ItChatBotApp> _apps = [];

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }

        await _database.DisposeAsync();
    }

    private ItChatBotApp Instance()
    {
        var journal = Path.Combine(Path.GetTempPath(), "itchatbot-tests", Guid.NewGuid().ToString("N"), "intake");
        var app = new ItChatBotApp(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
            ["Storage:Postgres:JournalFolder"] = journal,
        });
        _apps.Add(app);
        return app;
    }

    [Fact]
    public async Task Two_instances_share_tickets_key_numbers_and_kpis()
    {
        var a = Instance();
        var b = Instance();
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        var first = await WebChatDriver.OpenTicketAsync(clientA, "erin", "My laptop screen is flickering");
        var second = await WebChatDriver.OpenTicketAsync(clientB, "frank", "My monitor stays black after the update");

        Assert.Equal("IT-1", first.Ticket);
        Assert.Equal("IT-2", second.Ticket);
        Assert.Equal("erin", (await b.Get<ITicketStore>().GetAsync("IT-1"))!.Requester);
        Assert.Equal("frank", (await a.Get<ITicketStore>().GetAsync("IT-2"))!.Requester);

        // Each instance's KPI engine reads the one log: both count both tickets.
        foreach (var client in new[] { clientA, clientB })
        {
            var volume = await client.GetFromJsonAsync<KpiAnswer>("/api/kpi/volume?team=IT&from=2026-03-01&to=2026-03-03");
            Assert.Equal(2, volume!.Count);
        }

        // A conversation's replies are in the shared outbox, so either instance shows them.
        Assert.Contains(await WebChatDriver.ConversationAsync(clientB, "erin"), m => m.Id == first.Id);
    }

    [Fact]
    public async Task One_instance_sends_the_outbox_and_another_takes_over_when_it_stops()
    {
        var a = Instance();
        var b = Instance();
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        await WebChatDriver.SendAsync(clientA, "erin", "hello");

        var leadsA = await a.Get<ILeadership>().LeadsAsync(LeaderRoles.Outbox);
        var leadsB = await b.Get<ILeadership>().LeadsAsync(LeaderRoles.Outbox);
        Assert.True(leadsA ^ leadsB, $"exactly one instance leads the outbox (a: {leadsA}, b: {leadsB})");
        var (leader, follower, followerClient) = leadsA ? (a, b, clientB) : (b, a, clientA);

        // A reply queued by the follower is sent by the leader, woken by the database's notification.
        var card = await WebChatDriver.OpenTicketAsync(followerClient, "frank", "My laptop screen is flickering");
        await Eventually(async () => (await follower.Get<IOutbox>().GetMessageAsync(card.Id))?.Message is not null
            && (await leader.Get<IOutbox>().GetMessageAsync(card.Id))!.State == OutboxState.Sent);

        // The leader stops; the follower takes the role and sends what it queues next.
        _apps.Remove(leader);
        leader.Dispose();
        await Eventually(async () => await follower.Get<ILeadership>().LeadsAsync(LeaderRoles.Outbox));
        var next = await WebChatDriver.OpenTicketAsync(followerClient, "bob", "The printer on floor 3 jams on every page");
        await Eventually(async () => (await follower.Get<IOutbox>().GetMessageAsync(next.Id))!.State == OutboxState.Sent);
    }

    [Fact]
    public async Task The_command_line_verbs_import_and_report_on_the_shared_database()
    {
        var app = Instance();
        using var files = new TempFolder();
        var history = files.File("history.jsonl");
        await File.WriteAllTextAsync(history, """
            {"ticket":"IT-7","type":"Created","at":"2026-03-02T09:15:00Z","actor":"U1","actorKind":"requester","team":"IT","category":"access","priority":"P3","requester":"U1","channel":"slack","subject":"Need GitHub access"}
            {"ticket":"IT-7","type":"Resolved","at":"2026-03-02T11:15:00Z","actor":"U5","actorKind":"agent"}
            {"ticket":"IT-8","type":"Created","at":"2026-03-02T10:00:00Z","actor":"U2","actorKind":"requester","team":"IT","category":"hardware","priority":"P2","requester":"U2","channel":"teams","subject":"Laptop dead"}
            """);

        var (code, output) = await RunAsync(app, "import", history);
        Assert.Equal(0, code);
        Assert.Contains("3 lines: 3 events imported, 0 already present, 0 rejected.", output, StringComparison.Ordinal);
        (code, output) = await RunAsync(app, "import", history);
        Assert.Contains("3 lines: 0 events imported, 3 already present, 0 rejected.", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(app, "rebuild");
        Assert.Equal(0, code);
        Assert.Equal("Resolved", (await app.Get<ITicketStore>().GetAsync("IT-7"))!.Status.ToString());

        (code, output) = await RunAsync(app, "verify-audit");
        Assert.Equal(0, code);
    }

    [Theory]
    [InlineData("Postgres", "", "Storage:Postgres:ConnectionString is empty")]
    [InlineData("Mongo", null, "Storage:Provider 'Mongo' is not a store; use LiteDb (the default) or Postgres.")]
    public void A_store_setting_that_cannot_work_stops_the_start_naming_the_setting(string provider, string? connectionString, string reason)
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:Postgres:ConnectionString"] = connectionString,
        });

        var refused = Assert.Throws<InvalidOperationException>(() => app.Services);

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunAsync(ItChatBotApp app, params string[] args)
    {
        using var output = new StringWriter();
        var code = await CommandLine.BuildRoot(app.Services, output).Parse(args).InvokeAsync();
        return (code, output.ToString());
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(50);
        }
    }

    private sealed record KpiAnswer(string Metric, int Count);
}
