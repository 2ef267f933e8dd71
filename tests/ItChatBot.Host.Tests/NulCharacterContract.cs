using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.Cli;
using ItChatBot.Testing;

namespace ItChatBot.Host.Tests;

/// <summary>
/// The NUL character (U+0000) on both stores: PostgreSQL refuses it in a <c>text</c> column and the LiteDB file keeps it,
/// so the edges deal with it and both stores behave alike. An import line holding one is rejected with its number and
/// the rest imported; chat text loses it and the rest of the text is kept. Runs on a LiteDB file
/// (<see cref="LiteDbNulCharacterTests"/>) and on PostgreSQL (<see cref="PostgresNulCharacterTests"/>).
/// </summary>
public abstract class NulCharacterContract : IAsyncLifetime
{
    private readonly TempFolder _files = new();

    protected ItChatBotApp App { get; set; } = null!;

    public abstract Task InitializeAsync();

    public virtual Task DisposeAsync()
    {
        App.Dispose();
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_jsonl_line_with_a_NUL_in_a_string_field_is_rejected_naming_the_field_and_the_rest_is_imported()
    {
        var (code, output) = await ImportAsync("history.jsonl", """
            {"ticket":"IT-7","type":"Created","at":"2026-03-02T09:15:00Z","actor":"U1","actorKind":"requester","team":"IT","category":"access","priority":"P3","requester":"U1","channel":"slack","subject":"Need GitHub access"}
            {"ticket":"IT-8","type":"Created","at":"2026-03-02T09:20:00Z","actor":"U2","actorKind":"requester","team":"IT","category":"vpn","priority":"P3","requester":"U2","channel":"slack","subject":"VPN\u0000 drops"}
            {"ticket":"IT-7","type":"Assigned","at":"2026-03-02T09:30:00Z","actor":"U5\u0000","actorKind":"agent","assignee":"U5"}
            {"ticket":"IT-7","type":"Responded","at":"2026-03-02T09:31:00Z","actor":"U5","actorKind":"agent","no\u0000te":"x"}
            {"ticket":"IT-7","type":"Resolved","at":"2026-03-02T10:00:00Z","actor":"U5","actorKind":"agent"}
            {"ticket":"IT-9","type":"Created","at":"2026-03-02T10:15:00Z","actor":"U3","actorKind":"requester","team":"IT","category":"hardware","priority":"P2","requester":"U3","channel":"teams","subject":"Laptop dead"}
            """);

        Assert.Equal(1, code);
        Assert.Contains("line 2: subject contains the NUL character (U+0000)", output, StringComparison.Ordinal);
        Assert.Contains("line 3: actor contains the NUL character (U+0000)", output, StringComparison.Ordinal);
        Assert.Contains(@"line 4: the field name 'no\u0000te' contains the NUL character (U+0000)", output, StringComparison.Ordinal);
        Assert.Contains("6 lines: 3 events imported, 0 already present, 3 rejected.", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', output);

        var tickets = App.Get<ITicketStore>();
        Assert.Equal(TicketStatus.Resolved, (await tickets.GetAsync("IT-7"))!.Status);
        Assert.Null(await tickets.GetAsync("IT-8"));
        Assert.Equal("Laptop dead", (await tickets.GetAsync("IT-9"))!.Subject);
        Assert.Equal([EventType.Created, EventType.Resolved], (await App.EventLog.ReadTicketAsync("IT-7")).Select(e => e.Type));
    }

    [Fact]
    public async Task A_csv_row_with_a_NUL_in_a_column_read_is_rejected_naming_the_column_and_the_rest_is_imported()
    {
        var (code, output) = await ImportAsync("export.csv", string.Join('\n',
            "Issue key,Summary,Priority,Reporter,Created,Resolved,Description",
            "IT-1,Printer jammed,High,ana@example.com,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,",
            "IT-2,VPN\0 drops,High,ana@example.com,2026-03-02T09:10:00Z,2026-03-02T10:00:00Z,",
            "IT-3,Laptop dead,Low,bo\0b@example.com,2026-03-02T09:20:00Z,,",
            "IT-4,Screen flickers,Low,bob@example.com,2026-03-02T09:30:00Z,,pasted \0 log") + "\n");

        Assert.Equal(1, code);
        Assert.Contains("line 3: Summary contains the NUL character (U+0000)", output, StringComparison.Ordinal);
        Assert.Contains("line 4: Reporter contains the NUL character (U+0000)", output, StringComparison.Ordinal);
        Assert.Contains("4 rows: 3 events imported, 0 already present, 2 rejected.", output, StringComparison.Ordinal);

        // A column the import does not read (Description) is not looked at: that row is imported.
        var tickets = App.Get<ITicketStore>();
        Assert.Equal("Printer jammed", (await tickets.GetAsync("IT-1"))!.Subject);
        Assert.Null(await tickets.GetAsync("IT-2"));
        Assert.Null(await tickets.GetAsync("IT-3"));
        Assert.Equal("Screen flickers", (await tickets.GetAsync("IT-4"))!.Subject);
    }

    [Fact]
    public async Task A_web_chat_message_with_a_NUL_opens_a_ticket_whose_subject_is_the_text_without_it_and_the_inbox_keeps_it_as_it_came()
    {
        using var client = App.CreateClient();

        var answer = await WebChatDriver.SendAsync(client, "erin", "My laptop\u0000 screen is flickering\u0000", clientMessageId: "nul-1");

        var key = Assert.Single(answer.Messages, m => m.Ticket is not null).Ticket!;
        var ticket = await App.Get<ITicketStore>().GetAsync(key);
        Assert.Equal("My laptop screen is flickering", ticket!.Subject);
        Assert.Equal("My laptop screen is flickering", (await App.EventLog.ReadTicketAsync(key))[0].Get(EventData.Subject));

        // The raw envelope is not edited: JSON writes the NUL as the six characters \u0000, which every store keeps.
        var envelope = await App.Get<IInbox>().FindAsync("web:nul-1");
        Assert.Contains(@"My laptop\u0000 screen is flickering\u0000", envelope!.Body, StringComparison.Ordinal);
        Assert.NotNull(envelope.ProcessedAt);
        Assert.Null(envelope.Error);
    }

    [Fact]
    public async Task A_command_with_a_NUL_opens_a_ticket_whose_subject_is_the_text_without_it()
    {
        using var client = App.CreateClient();

        var answer = await WebChatDriver.SendAsync(client, "erin", "/it My laptop\u0000 screen is flickering");

        var key = Assert.Single(answer.Messages, m => m.Ticket is not null).Ticket!;
        Assert.Equal("My laptop screen is flickering", (await App.Get<ITicketStore>().GetAsync(key))!.Subject);
    }

    [Theory]
    [InlineData("conversation")]
    [InlineData("thread")]
    [InlineData("clientMessageId")]
    public async Task A_web_chat_id_holding_a_NUL_is_refused_naming_it_and_nothing_is_stored(string field)
    {
        using var client = App.CreateClient();
        var request = new Dictionary<string, string> { ["person"] = "erin", ["text"] = "My laptop screen is flickering", [field] = "dm-erin\u0000" };

        var response = await client.PostAsJsonAsync("/chat/send", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'{field}' contains the NUL character (U+0000)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await App.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        Assert.Empty(await App.Get<IOutbox>().ListConversationAsync(Channels.Web, "dm-erin", 0));
    }

    [Fact]
    public async Task A_technician_asked_for_by_an_id_holding_a_NUL_is_refused_naming_it()
    {
        using var client = App.CreateClient();

        var response = await client.GetAsync("/api/kpi/tech?team=IT&tech=carol%00");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(@"tech:carol\u0000 contains the NUL character (U+0000)", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> ImportAsync(string name, string content)
    {
        var path = _files.File(name);
        await File.WriteAllTextAsync(path, content);
        using var output = new StringWriter();
        var code = await CommandLine.BuildRoot(App.Services, output).Parse(["import", path]).InvokeAsync();
        return (code, output.ToString());
    }
}

/// <summary><see cref="NulCharacterContract"/> on a LiteDB file, which keeps a NUL: the edges must drop or refuse it all the same.</summary>
public sealed class LiteDbNulCharacterTests : NulCharacterContract
{
    public override Task InitializeAsync()
    {
        App = new ItChatBotApp();
        return Task.CompletedTask;
    }
}

/// <summary><see cref="NulCharacterContract"/> on PostgreSQL, which refuses a NUL in a <c>text</c> column (error 22021).</summary>
public sealed class PostgresNulCharacterTests : NulCharacterContract
{
    private readonly TempFolder _journal = new();
    private PostgresTestDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        App = new ItChatBotApp(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
            ["Storage:Postgres:JournalFolder"] = _journal.File("intake"),
        });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
        _journal.Dispose();
    }
}
