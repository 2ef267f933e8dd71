using System.Text.Json.Nodes;
using ItChatBot.Core.Storage;
using ItChatBot.Host;
using ItChatBot.Teams.Tests.Infrastructure;
using ItChatBot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Teams.Tests;

/// <summary>
/// End to end with the Microsoft 365 Agents Playground: the real host on a loopback port (Kestrel, not
/// TestServer, because the playground needs a socket) in the development no-auth mode, the playground as a
/// child process pointed at it.
/// </summary>
public sealed class PlaygroundEndToEndTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private WebApplication _app = null!;
    private Playground _playground = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _folder.Path });
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Configuration["Storage:Provider"] = "LiteDb";
        builder.Configuration["Storage:LiteDb:Path"] = _folder.File("itchatbot.db");
        builder.Configuration["Teams:DevelopmentNoAuth"] = "true";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddItChatBot();
        _app = builder.Build();
        _app.MapItChatBot();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _playground = await Playground.StartAsync($"{address}/api/messages");
    }

    [Fact]
    public async Task A_message_opens_a_ticket_whose_card_arrives_in_the_playground_and_its_buttons_work()
    {
        var config = await _playground.ConfigAsync();
        var conversation = (string)config["personalChat"]!["id"]!;
        var user = (string)config["currentUser"]!["id"]!;
        var botId = (string)config["bot"]!["id"]!;

        await _playground.SayAsync(conversation, user, "my laptop will not start after the update");

        // The bot's Adaptive Card arrives in the playground's conversation (what its web client shows).
        var frame = await Eventually.WaitAsync(() => _playground.Frames.FirstOrDefault(f =>
            (string?)f["message"]?["from"]?["id"] == botId
            && f["message"]?["attachments"] is JsonArray { Count: > 0 } a
            && (string?)a[0]!["contentType"] == "application/vnd.microsoft.card.adaptive"), $"the ticket card in the playground; it logged:\n{_playground.Output}", 30);
        var message = frame["message"]!;
        var card = message["attachments"]![0]!["content"]!.AsObject();
        Assert.Equal(conversation, (string?)frame["actionConversationId"]);
        var title = (string)card["body"]![0]!["text"]!;
        Assert.Matches("^[A-Z]+-1: my laptop will not start", title);
        var key = title[..title.IndexOf(':', StringComparison.Ordinal)];
        var ticket = await _app.Services.GetRequiredService<ITicketStore>().GetAsync(key);
        Assert.NotNull(ticket);

        // Press "Refresh": the invoke comes back with the refreshed card.
        var refresh = FindAction(card, "ticket.status");
        var refreshed = await _playground.PressAsync(conversation, user, (string)message["messageId"]!, refresh);
        // The playground hands the client the response's type and value (the card that replaces the clicked one).
        Assert.True((string?)refreshed["type"] == "application/vnd.microsoft.card.adaptive", refreshed.ToJsonString());
        Assert.StartsWith($"{key}:", (string?)refreshed["value"]!["body"]![0]!["text"], StringComparison.Ordinal);

        // Press "I no longer need this" (behind its confirmation step): the request is withdrawn.
        var withdraw = FindAction(card, "ticket.withdraw");
        var withdrawn = await _playground.PressAsync(conversation, user, (string)message["messageId"]!, withdraw);
        Assert.Contains("Withdrawn", withdrawn.ToJsonString(), StringComparison.Ordinal);
        ticket = await _app.Services.GetRequiredService<ITicketStore>().GetAsync(key);
        Assert.Equal(Core.Tickets.TicketStatus.Resolved, ticket!.Status);
    }

    [Fact]
    public async Task Details_typed_after_a_request_in_the_personal_chat_go_to_it()
    {
        var config = await _playground.ConfigAsync();
        var conversation = (string)config["personalChat"]!["id"]!;
        var user = (string)config["currentUser"]!["id"]!;
        var store = _app.Services.GetRequiredService<ITicketStore>();
        await _playground.SayAsync(conversation, user, "my laptop battery drains in an hour");
        var ticket = await Eventually.WaitAsync(() => store.QueryAsync(new TicketQuery()).Result is [var only] ? only : null, $"the ticket; the playground logged:\n{_playground.Output}", 30);

        // The playground's personal chat, like Teams', has no threads: the detail comes as a new message.
        await _playground.SayAsync(conversation, user, "it's a Dell XPS 13, about three years old");

        await Eventually.WaitAsync(() => _playground.Frames.FirstOrDefault(f => f.ToJsonString().Contains($"Added to {ticket.Key}", StringComparison.Ordinal)),
            $"the notice in the playground; it logged:\n{_playground.Output}", 30);
        Assert.Single(await store.QueryAsync(new TicketQuery()));
    }

    private static JsonObject FindAction(JsonNode node, string verb)
    {
        if (node is JsonObject o)
        {
            if ((string?)o["type"] == "Action.Execute" && (string?)o["verb"] == verb)
            {
                return o;
            }

            foreach (var (_, child) in o)
            {
                if (child is not null && TryFind(child, verb) is { } found)
                {
                    return found;
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                if (child is not null && TryFind(child, verb) is { } found)
                {
                    return found;
                }
            }
        }

        throw new Xunit.Sdk.XunitException($"No Action.Execute with verb {verb} on the card: {node.ToJsonString()}");
    }

    private static JsonObject? TryFind(JsonNode node, string verb)
    {
        try
        {
            return FindAction(node, verb);
        }
        catch (Xunit.Sdk.XunitException)
        {
            return null;
        }
    }

    public async Task DisposeAsync()
    {
        if (_playground is not null)
        {
            await _playground.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _folder.Dispose();
    }
}
