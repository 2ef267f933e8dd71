using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.Cli;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Host.Tests;

/// <summary><c>itchatbot import FILE</c> with the JSONL history of DESIGN §6.</summary>
public sealed class ImportTests : IDisposable
{
    private const string History = """
        {"ticket":"IT-7","type":"Created","at":"2026-03-02T09:15:00Z","actor":"U1","actorKind":"requester","team":"IT","category":"access","priority":"P3","requester":"U1","channel":"slack","subject":"Need GitHub access"}
        {"ticket":"IT-7","type":"WorkflowStarted","at":"2026-03-02T09:15:01Z","actor":"automation","actorKind":"automation","workflow":"app-access","run":"r-7-1"}
        {"ticket":"IT-7","type":"Responded","at":"2026-03-02T09:15:02Z","actor":"automation","actorKind":"automation"}
        {"ticket":"IT-7","type":"ApprovalRequested","at":"2026-03-02T09:15:02Z","actor":"automation","actorKind":"automation","run":"r-7-1","approver":"U9"}
        {"ticket":"IT-7","type":"ApprovalDecided","at":"2026-03-02T09:40:00Z","actor":"U9","actorKind":"approver","run":"r-7-1","decision":"approved"}
        {"ticket":"IT-7","type":"AccessGranted","at":"2026-03-02T09:40:01Z","actor":"automation","actorKind":"automation","resource":"github","role":"member","expiresAt":"2026-03-04T09:40:01Z"}
        {"ticket":"IT-7","type":"WorkflowCompleted","at":"2026-03-02T09:40:02Z","actor":"automation","actorKind":"automation","run":"r-7-1"}
        {"ticket":"IT-7","type":"Resolved","at":"2026-03-02T09:40:02Z","actor":"automation","actorKind":"automation"}
        {"ticket":"IT-8","type":"Created","at":"2026-03-02T10:00:00Z","actor":"U2","actorKind":"requester","team":"IT","category":"hardware","priority":"P2","requester":"U2","channel":"teams","subject":"Laptop dead"}
        {"ticket":"IT-8","type":"Assigned","at":"2026-03-02T10:05:00Z","actor":"U5","actorKind":"agent","assignee":"U5"}
        {"ticket":"IT-8","type":"Escalated","at":"2026-03-02T10:30:00Z","actor":"U5","actorKind":"agent","toTier":"L2","toTeam":"IT","assignee":"U6"}
        {"ticket":"IT-8","type":"StatusChanged","at":"2026-03-02T10:31:00Z","actor":"U6","actorKind":"agent","status":"WaitingOnRequester"}
        {"ticket":"IT-8","type":"Resolved","at":"2026-03-02T15:00:00Z","actor":"U6","actorKind":"agent"}
        {"ticket":"IT-8","type":"SurveyAnswered","at":"2026-03-02T16:00:00Z","actor":"U2","actorKind":"requester","score":4}
        {"ticket":null,"type":"Deflected","at":"2026-03-02T11:00:00Z","actor":"U3","actorKind":"requester","team":"IT","category":"vpn","article":"kb/vpn-setup.md"}
        """;

    private readonly ItChatBotApp _app = new();
    private readonly TempFolder _files = new();

    public void Dispose()
    {
        _app.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task A_good_history_is_imported_whole()
    {
        var (code, output) = await RunAsync("import", Write("history.jsonl", History));

        Assert.Equal(0, code);
        Assert.Contains("15 lines: 15 events imported, 0 already present, 0 rejected.", output, StringComparison.Ordinal);
        var store = _app.Get<ITicketStore>();
        var it7 = await store.GetAsync("IT-7");
        var it8 = await store.GetAsync("IT-8");
        Assert.Equal((TicketStatus.Resolved, "access", "P3"), (it7!.Status, it7.Category, it7.Priority));
        Assert.Equal((TicketStatus.Resolved, "L2", "U6", 1), (it8!.Status, it8.Tier, it8.Assignee, it8.EscalationCount));
        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(await _app.EventLog.ReadTicketAsync("IT-7")));
        Assert.Equal(Outcome.Unassisted, OutcomeClassifier.Classify(await _app.EventLog.ReadTicketAsync("IT-8")));
        Assert.Equal(4, (await _app.EventLog.ReadTicketAsync("IT-8"))[^1].GetInt(EventData.Score));
    }

    [Fact]
    public async Task The_same_file_twice_changes_nothing()
    {
        var file = Write("history.jsonl", History);
        await RunAsync("import", file);
        var before = await Snapshot();

        var (code, output) = await RunAsync("import", file);

        Assert.Equal(0, code);
        Assert.Contains("0 events imported, 15 already present", output, StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task Bad_lines_are_reported_with_their_number_and_the_good_ones_kept()
    {
        var lines = History.Split('\n').ToList();
        lines.Insert(2, "{not json");
        lines.Insert(4, """{"ticket":"IT-7","type":"Exploded","at":"2026-03-02T09:16:00Z","actor":"U1","actorKind":"requester"}""");
        lines.Insert(5, """{"ticket":"IT-7","type":"Responded","at":"yesterday","actor":"U1","actorKind":"agent"}""");
        lines.Insert(6, """{"ticket":"IT-99","type":"Resolved","at":"2026-03-02T09:16:00Z","actor":"U1","actorKind":"agent"}""");
        lines.Add("""{"ticket":"IT-8","type":"Reopened","at":"2026-03-02T17:00:00Z","actor":"U2","actorKind":"martian"}""");
        lines.Add("""{"ticket":"IT-7","type":"Resolved","at":"2026-03-02T18:00:00Z","actor":"U5","actorKind":"agent"}""");

        var (code, output) = await RunAsync("import", Write("mixed.jsonl", string.Join('\n', lines)));

        Assert.Equal(1, code);
        Assert.Contains("line 3: not valid JSON", output, StringComparison.Ordinal);
        Assert.Contains("line 5: unknown type 'Exploded'", output, StringComparison.Ordinal);
        Assert.Contains("line 6: 'at' is not an ISO 8601 time: 'yesterday'", output, StringComparison.Ordinal);
        Assert.Contains("line 7: IT-99 has no Created event", output, StringComparison.Ordinal);
        Assert.Contains("line 20: unknown actorKind 'martian'", output, StringComparison.Ordinal);
        Assert.Contains("line 21: IT-7 is Resolved; it cannot go to Resolved.", output, StringComparison.Ordinal);
        Assert.Contains("15 events imported", output, StringComparison.Ordinal);
        Assert.Equal(15, await _app.EventLog.CountAsync());
    }

    [Theory]
    [InlineData("31/Feb/26 10:00 AM")]
    [InlineData("03/02/2026 09:15")]
    [InlineData("Monday 9am")]
    public async Task A_time_that_is_not_ISO_8601_is_rejected_rather_than_guessed(string at)
    {
        var lines = History.Split('\n').ToList();
        lines.Add($$"""{"ticket":"IT-70","type":"Created","at":"{{at}}","actor":"U1","actorKind":"requester","team":"IT","priority":"P3","requester":"U1"}""");

        var (code, output) = await RunAsync("import", Write("history.jsonl", string.Join('\n', lines)));

        Assert.Equal(1, code);
        Assert.Contains($"line 16: 'at' is not an ISO 8601 time: '{at}'", output, StringComparison.Ordinal);
        Assert.Null(await _app.Get<ITicketStore>().GetAsync("IT-70"));
        Assert.Equal(15, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task Import_refuses_a_missing_file_or_another_format()
    {
        var (missing, missingOutput) = await RunAsync("import", Path.Combine(_files.Path, "nope.jsonl"));
        var (other, otherOutput) = await RunAsync("import", Write("history.txt", History));

        Assert.Equal((2, 2), (missing, other));
        Assert.Contains("does not exist", missingOutput, StringComparison.Ordinal);
        Assert.Contains("history.txt is neither a .jsonl history nor a .csv ticket export", otherOutput, StringComparison.Ordinal);
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Theory]
    [InlineData("history.jsonl")]
    [InlineData("export.csv")]
    public async Task A_folder_given_as_the_file_is_named_a_folder_not_a_missing_file(string name)
    {
        var folder = Path.Combine(_files.Path, name);
        Directory.CreateDirectory(folder);

        var (code, output) = await RunAsync("import", folder);

        Assert.Equal(2, code);
        Assert.Contains($"error: {folder} is a folder; give the .jsonl or .csv file to import.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history.jsonl", "")]
    [InlineData("history.jsonl", "\uFEFF\r\n\r\n")]
    [InlineData("export.csv", "")]
    [InlineData("export.csv", "\uFEFF")]
    public async Task An_empty_file_is_answered_as_empty_rather_than_as_a_successful_import(string name, string content)
    {
        var (code, output) = await RunAsync("import", Write(name, content));

        Assert.Equal(2, code);
        Assert.Contains($"error: {name} is empty; nothing was imported.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("0 rejected", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_that_differ_only_in_case_are_both_kept_and_a_rebuild_gives_the_same_tickets()
    {
        // An exporter's own "Category" beside the §2 "category", and a "Priority" beside "priority".
        var file = Write("cased.jsonl", string.Join('\n',
            """{"ticket":"IT-9","type":"Created","at":"2026-03-02T09:00:00Z","actor":"U1","actorKind":"requester","team":"IT","Category":"Hardware > Laptop","category":"hardware","Priority":"High","priority":"P2","requester":"U1"}""",
            """{"ticket":"IT-9","type":"Resolved","at":"2026-03-02T11:00:00Z","actor":"U5","actorKind":"agent"}"""));
        await RunAsync("import", file);
        var live = await CategorySnapshot();

        var (code, output) = await RunAsync("rebuild");
        var created = (await _app.EventLog.ReadTicketAsync("IT-9"))[0];
        var (again, second) = await RunAsync("import", file);

        Assert.Equal(0, code);
        Assert.Equal(["IT-9|hardware|P2|Resolved|2"], live);
        Assert.Equal(live, await CategorySnapshot());
        Assert.Equal(("hardware", "Hardware > Laptop", "P2", "High"),
            (created.Get(EventData.Category), created.Get("Category"), created.Get(EventData.Priority), created.Get("Priority")));
        Assert.True(again == 0, second);
        Assert.Contains("0 events imported, 2 already present", second, StringComparison.Ordinal);
        Assert.Contains("from 2 events", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("rebuild")]
    public async Task A_verb_run_while_the_service_has_the_data_file_open_says_so_and_writes_nothing(string verb)
    {
        // The app is the running service; the verb is a second process's command line on the same settings.
        Assert.Equal(0, await _app.EventLog.CountAsync());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDb:Path"] = Path.Combine(_app.DataFolder, "itchatbot.db"),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddItChatBotServices(configuration).BuildServiceProvider();
        using var output = new StringWriter();
        string[] args = verb == "import" ? ["import", Write("history.jsonl", History)] : ["rebuild"];

        var code = await CommandLine.BuildRoot(services, output).Parse(args).InvokeAsync();

        Assert.True(code == 2, output.ToString());
        Assert.Contains("itchatbot.db is in use by another ItChatBot process (the running service, or another command). Stop it, then run this again.",
            output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task Rebuild_reproduces_the_imported_state()
    {
        await RunAsync("import", Write("history.jsonl", History));
        var before = await Snapshot();

        var (code, output) = await RunAsync("rebuild");

        Assert.Equal(0, code);
        Assert.Contains("from 15 events", output, StringComparison.Ordinal);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task Seed_demo_builds_a_directory_and_a_history_that_obeys_the_rules()
    {
        var (code, output) = await RunAsync("seed-demo", "--days", "20", "--per-day", "15");

        Assert.Equal(0, code);
        Assert.Matches(@"seeded \d+ people, 300 tickets", output);
        var people = await _app.Get<Core.Directory.IDirectory>().ListAsync();
        Assert.Contains(people, p => p.Id == "alice" && p.IsAgentOf("IT"));
        Assert.All(people.Where(p => p.Id.StartsWith("emp", StringComparison.Ordinal)), p => Assert.NotNull(p.ManagerId));
        var tickets = await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Limit = 1000 });
        Assert.Equal(300, tickets.Count);
        Assert.Contains(tickets, t => t.Status == TicketStatus.Resolved);
        Assert.Contains(tickets, t => t.Team == "Security");

        var outcomes = new List<Outcome?>();
        foreach (var ticket in tickets)
        {
            var events = await _app.EventLog.ReadTicketAsync(ticket.Key);
            var replayed = new Ticket();
            foreach (var e in events)
            {
                Assert.Null(replayed.Check(e) is { } problem ? $"{e.Ticket} {e.Type}: {problem}" : null);
                replayed.Apply(e);
            }

            outcomes.Add(OutcomeClassifier.Classify(events));
        }

        Assert.Contains(Outcome.AiResolved, outcomes);
        Assert.Contains(Outcome.Unassisted, outcomes);

        // Access behind managers' approvals is part of the story, so the approval and access cards have something to show,
        // and every gated action in it was approved by the requester's manager.
        var kpi = _app.Get<Core.Kpi.KpiEngine>();
        var to = _app.Clock.GetUtcNow();
        var approvals = await kpi.ComputeAsync(new("approvals", null, to.AddDays(-21), to));
        Assert.True(approvals.Count > 0, "no gated action in the seeded history");
        Assert.Equal(1d, approvals.Value);
        Assert.True((await kpi.ComputeAsync(new("access", null, to.AddDays(-21), to))).Count > 0, "no access event in the seeded history");
    }

    private string Write(string name, string content)
    {
        var path = _files.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await CommandLine.BuildRoot(_app.Services, output).Parse(args).InvokeAsync();
        return (code, output.ToString());
    }

    private async Task<List<string>> CategorySnapshot() =>
        [.. (await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Limit = 1000 })).Select(t => $"{t.Key}|{t.Category}|{t.Priority}|{t.Status}|{t.EventCount}")];

    private async Task<List<string>> Snapshot() =>
        [.. (await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Limit = 1000 })).Select(t => $"{t.Key}|{t.Status}|{t.EventCount}|{t.Assignee}"),
            $"events={await _app.EventLog.CountAsync()}"];
}
