using System.Net;
using System.Net.Http.Json;
using ItChatBot.Host.WebChat;
using ItChatBot.Testing;

namespace ItChatBot.Host.Tests;

/// <summary>Talks to the local web chat as a person would, over HTTP.</summary>
internal static class WebChatDriver
{
    public static async Task<ChatResponse> SendAsync(HttpClient client, string person, string text, string? clientMessageId = null)
    {
        var response = await client.PostAsJsonAsync("/chat/send", new { person, text, clientMessageId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChatResponse>())!;
    }

    public static async Task<IReadOnlyList<ChatMessage>> ConversationAsync(HttpClient client, string person) =>
        (await client.GetFromJsonAsync<ChatResponse>($"/chat/messages?conversation=dm-{person}&person={person}"))!.Messages;

    /// <summary>
    /// Asks for help and gets a ticket: when the automation answers first (a knowledge-base article, or
    /// "did you mean…"), presses "Open a ticket" or "Something else" as the person would. Returns the ticket card.
    /// </summary>
    public static async Task<ChatMessage> OpenTicketAsync(HttpClient client, string person, string text)
    {
        var first = await SendAsync(client, person, text);
        if (first.Messages.FirstOrDefault(m => m.Ticket is not null) is { } card)
        {
            return card;
        }

        var button = first.Messages.Select(m => AutomationButtons.ForPeople().Match(m.Html)).FirstOrDefault(m => m.Success)
            ?? throw new InvalidOperationException($"The bot neither opened a ticket nor offered one: {string.Join(" / ", first.Messages.Select(m => m.Text))}");
        var press = await client.PostAsJsonAsync("/chat/actions", new
        {
            person,
            actionId = button.Groups["action"].Value,
            value = WebUtility.HtmlDecode(button.Groups["value"].Value),
        });
        press.EnsureSuccessStatusCode();
        var pressed = (await press.Content.ReadFromJsonAsync<ChatResponse>())!.Messages;
        return pressed.FirstOrDefault(m => m.Ticket is not null)
            ?? (await ConversationAsync(client, person)).Last(m => m.Ticket is not null);
    }
}
