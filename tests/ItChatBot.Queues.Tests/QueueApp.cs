using System.Net;
using System.Net.Http.Json;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.WebChat;
using ItChatBot.Testing;

namespace ItChatBot.Queues.Tests;

/// <summary>
/// The real host with its fake clock, driven like the web chat: people from the demo directory (erin asks;
/// alice, bob and carol are IT agents; sam is a Security agent), messages through <c>/chat/send</c>, buttons
/// through <c>/chat/actions</c>. The background passes are off; tests run them with <c>RunOnceAsync</c>.
/// </summary>
public sealed class QueueApp : IDisposable
{
    private readonly ItChatBotApp _app;
    private readonly HttpClient _http;

    public QueueApp(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Queues:RunInBackground"] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        _app = new ItChatBotApp(all);
        _http = _app.CreateClient();
    }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => _app.Clock;

    public T Get<T>() where T : notnull => _app.Get<T>();

    public Task<int> SurveysAsync() => Get<SurveySender>().RunOnceAsync(CancellationToken.None);

    public Task<SlaMonitorPass> MonitorAsync() => Get<SlaMonitor>().RunOnceAsync(CancellationToken.None);

    public async Task<IReadOnlyList<ChatMessage>> SendAsync(string person, string text, string? conversation = null, string? thread = null, string? clientMessageId = null)
    {
        var response = await _http.PostAsJsonAsync("/chat/send", new SendRequest(person, text, conversation, thread, clientMessageId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages;
    }

    public async Task<IReadOnlyList<ChatMessage>> ActAsync(string person, string actionId, string value, string? input = null, string? conversation = null, string? thread = null)
    {
        var inputs = input is null ? null : new Dictionary<string, string> { [QueueCards.InputId] = input };
        var response = await _http.PostAsJsonAsync("/chat/actions", new ActionRequest(person, actionId, value, conversation, thread, inputs, null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages;
    }

    /// <summary>What <paramref name="person"/> sees in a web conversation (everything public plus their own ephemeral messages).</summary>
    public async Task<IReadOnlyList<ChatMessage>> ConversationAsync(string conversation, string person)
    {
        var response = await _http.GetFromJsonAsync<ChatResponse>($"/chat/messages?conversation={Uri.EscapeDataString(conversation)}&person={Uri.EscapeDataString(person)}");
        return response!.Messages;
    }

    /// <summary>
    /// erin opens a request for people by direct message; returns the ticket and the thread it lives in. When the
    /// automation answers first (a knowledge-base article, "did you mean…"), she asks for a ticket as a user would.
    /// </summary>
    public async Task<(Ticket Ticket, string Thread)> OpenAsync(string text, string person = "erin")
    {
        var store = Get<ITicketStore>();
        var before = (await store.QueryAsync(new TicketQuery { Requester = person, Limit = int.MaxValue })).Select(t => t.Key).ToHashSet();
        var client = Guid.NewGuid().ToString("N");
        var thread = $"web:{client}";
        var replies = await SendAsync(person, text, clientMessageId: client);
        if (!replies.Any(m => m.Ticket is not null)
            && replies.Select(m => AutomationButtons.ForPeople().Match(m.Html)).FirstOrDefault(m => m.Success) is { } button)
        {
            await ActAsync(person, button.Groups["action"].Value, WebUtility.HtmlDecode(button.Groups["value"].Value), conversation: $"dm-{person}", thread: thread);
        }

        var opened = (await store.QueryAsync(new TicketQuery { Requester = person, Limit = int.MaxValue })).Where(t => !before.Contains(t.Key)).ToList();
        Assert.True(opened.Count == 1, $"'{text}' opened {opened.Count} tickets; the bot said: {string.Join(" / ", replies.Select(r => r.Text))}");
        return (opened[0], thread);
    }

    public async Task<Ticket> TicketAsync(string key) => (await Get<ITicketStore>().GetAsync(key))!;

    public async Task<int> CountTicketsAsync() => (await Get<ITicketStore>().QueryAsync(new TicketQuery { Limit = int.MaxValue })).Count;

    public Task<IReadOnlyList<TicketEvent>> EventsAsync(string key) => Get<IEventLog>().ReadTicketAsync(key);

    public void Dispose()
    {
        _http.Dispose();
        _app.Dispose();
    }
}
