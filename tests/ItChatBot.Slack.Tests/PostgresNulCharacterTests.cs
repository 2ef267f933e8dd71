using System.Net;
using System.Text.Json;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Slack.Tests;

/// <summary>
/// A Slack event whose text carries <c>"\u0000"</c>, through the whole pipeline on PostgreSQL (journal, inbox, inbound
/// processor, router, event log): PostgreSQL refuses the NUL character in a <c>text</c> column, so the router takes it out of
/// the text (<see cref="Core.Conversations.ChatText"/>) and the request is handled like any other.
/// </summary>
public sealed class PostgresNulCharacterTests : IAsyncLifetime
{
    private readonly TempFolder _journal = new();
    private PostgresTestDatabase _database = null!;
    private SlackTestApp _slack = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _slack = new SlackTestApp(settings: new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = _database.ConnectionString,
            ["Storage:Postgres:JournalFolder"] = _journal.File("intake"),
        });
    }

    public async Task DisposeAsync()
    {
        _slack.Dispose();
        await _database.DisposeAsync();
        _journal.Dispose();
    }

    [Fact]
    public async Task A_slack_message_holding_a_NUL_opens_its_ticket_with_the_rest_of_its_text()
    {
        var response = await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvNUL", "my laptop\u0000 won't start"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inbox = _slack.App.Get<IInbox>();
        InboundEnvelope? envelope = null;
        await Eventually.TrueAsync(async () => (envelope = await inbox.FindAsync("slack:EvNUL"))?.ProcessedAt is not null, "the event processed");
        Assert.Null(envelope!.Error);

        // The raw envelope is kept as it came: JSON writes the NUL as the six characters \u0000, which every store keeps.
        Assert.Contains(@"\u0000", envelope.Body, StringComparison.Ordinal);
        using (var body = JsonDocument.Parse(envelope.Body))
        {
            Assert.Equal("my laptop\u0000 won't start", body.RootElement.GetProperty("event").GetProperty("text").GetString());
        }

        var ticket = Assert.Single(await _slack.App.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        Assert.Equal("my laptop won't start", ticket.Subject);
        Assert.Equal("my laptop won't start", (await _slack.App.EventLog.ReadTicketAsync(ticket.Key))[0].Get(EventData.Subject));
    }
}
