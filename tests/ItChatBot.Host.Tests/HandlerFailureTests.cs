using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Host.WebChat;
using ItChatBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Host.Tests;

/// <summary>
/// A message whose handling fails in a way nobody foresaw: the sender is told, with a reference, and the inbox keeps the
/// delivery with the failure recorded under that reference, so it is told apart from one that was handled.
/// </summary>
public sealed class HandlerFailureTests
{
    [Fact]
    public async Task A_failed_handling_is_recorded_with_the_delivery_under_the_reference_the_sender_is_given()
    {
        using var app = new FailingApp();
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "my laptop will not start", clientMessageId = "c-1" });

        var reply = Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);
        var reference = System.Text.RegularExpressions.Regex.Match(reply.Text, @"reference ([0-9a-f]{8})").Groups[1].Value;
        Assert.NotEmpty(reference);
        Assert.Contains("this was not done", reply.Text, StringComparison.Ordinal);
        var stored = await app.Get<IInbox>().FindAsync("web:c-1");
        Assert.NotNull(stored?.ProcessedAt);
        Assert.Equal($"reference {reference}: InvalidOperationException: the directory timed out", stored.Error);
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/inbox/failed");
        var delivery = Assert.Single(listed.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("web:c-1", stored.Error), (delivery.GetProperty("platformId").GetString(), delivery.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task The_failed_list_refuses_a_max_it_cannot_use_naming_the_right_form()
    {
        using var app = new ItChatBotApp();
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/api/inbox/failed?max=0", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("max must be a whole number from 1 to 1000 (got '0'): GET /api/inbox/failed?max=100", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handled_message_is_recorded_without_an_error()
    {
        using var app = new ItChatBotApp();
        using var client = app.CreateClient();

        await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it help", clientMessageId = "c-2" });

        var stored = await app.Get<IInbox>().FindAsync("web:c-2");
        Assert.NotNull(stored?.ProcessedAt);
        Assert.Null(stored.Error);
    }

    private sealed class FailingApp : ItChatBotApp
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.AddSingleton<IMessageHandler, FailingHandler>();
    }

    /// <summary>First in line for every message, and fails as a connector that timed out would.</summary>
    private sealed class FailingHandler : IMessageHandler
    {
        public int Order => int.MinValue;

        public Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the directory timed out");
    }

}
