using System.Text.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Slack.Inbound;
using ItChatBot.Slack.WebApi;

namespace ItChatBot.Slack;

/// <summary>
/// The "new request" modal that <c>/it</c> without text opens: what, category, urgency. Its submission is
/// checked while Slack waits (errors show beside the fields and nothing is stored), then opens the ticket with
/// the chosen category and priority, and the ticket's card goes to the requester's DM, whose thread it owns.
/// </summary>
public sealed class SlackRequestForm(SupportTeams teams, PersonResolver people, TicketService tickets, ITicketStore store, SlackApiClient api, IInbox inbox, OutboxSignal signal, TimeProvider clock)
{
    public const string CallbackId = "it.request";
    public const int MaxWhat = 2000;
    private static readonly string[] Urgencies = ["P1", "P2", "P3", "P4"];

    public JsonObject BuildView(string? channelId)
    {
        var groups = new JsonArray();
        foreach (var team in teams.All.Take(100))
        {
            var categories = team.Categories.Count == 0 ? ["general"] : team.Categories;
            groups.Add(new JsonObject
            {
                ["label"] = Plain(team.Name, 75),
                ["options"] = new JsonArray([.. categories.Take(100).Select(c => (JsonNode)Option(c, $"{team.Name}|{c}"))]),
            });
        }

        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CallbackId,
            ["private_metadata"] = channelId ?? "",
            ["title"] = Plain("New request", 24),
            ["submit"] = Plain("Submit", 24),
            ["close"] = Plain("Cancel", 24),
            ["blocks"] = new JsonArray(
                Input("what", "What do you need?", new JsonObject
                {
                    ["type"] = "plain_text_input",
                    ["action_id"] = "what",
                    ["multiline"] = true,
                    ["max_length"] = MaxWhat,
                }),
                Input("category", "Category", new JsonObject
                {
                    ["type"] = "static_select",
                    ["action_id"] = "category",
                    ["option_groups"] = groups,
                }),
                Input("urgency", "Urgency", new JsonObject
                {
                    ["type"] = "static_select",
                    ["action_id"] = "urgency",
                    ["initial_option"] = Option("P3 – normal", "P3"),
                    ["options"] = new JsonArray(Option("P1 – critical, many people blocked", "P1"), Option("P2 – high, I am blocked", "P2"), Option("P3 – normal", "P3"), Option("P4 – low, whenever", "P4")),
                })),
        };
    }

    /// <summary>The submission's fields, or per-block errors for Slack to show in the modal.</summary>
    public (RequestFormValues? Values, Dictionary<string, string> Errors) Validate(JsonElement view)
    {
        var values = view.Obj("state").Obj("values");
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var what = values.Obj("what").Obj("what").Str("value")?.Trim() ?? "";
        if (what.Length == 0)
        {
            errors["what"] = "Say what you need.";
        }
        else if (what.Length > MaxWhat)
        {
            errors["what"] = $"At most {MaxWhat} characters, please.";
        }

        var category = values.Obj("category").Obj("category").Obj("selected_option").Str("value") ?? "";
        var parts = category.Split('|', 2);
        var team = parts.Length == 2 ? teams.Find(parts[0]) : null;
        if (team is null || !(team.Categories.Contains(parts[1], StringComparer.OrdinalIgnoreCase) || (team.Categories.Count == 0 && parts[1] == "general")))
        {
            errors["category"] = "Pick one of the listed categories.";
        }

        var urgency = values.Obj("urgency").Obj("urgency").Obj("selected_option").Str("value") ?? "";
        if (!Urgencies.Contains(urgency, StringComparer.Ordinal))
        {
            errors["urgency"] = "Pick an urgency from P1 to P4.";
        }

        return errors.Count > 0 ? (null, errors) : (new RequestFormValues(what, team!.Name, parts[1], urgency), errors);
    }

    /// <summary>
    /// Opens the ticket for a valid submission (<paramref name="delivery"/>: the submission's platform id, accepted in the
    /// inbox) and sends its card to the requester's DM. The card is stored with the submission's completion, in one write.
    /// A submission that runs again (the process stopped between the ticket and that write) finds the ticket it opened by
    /// its delivery instead of opening a second, and sends its card then, once.
    /// </summary>
    public async Task SubmitAsync(string userId, RequestFormValues values, string delivery, CancellationToken cancellationToken)
    {
        var person = await people.ResolveAsync(Core.Conversations.Channels.Slack, userId, cancellationToken);
        var dm = await api.OpenDirectMessageAsync(userId, cancellationToken);
        var origin = new ConversationRef(Core.Conversations.Channels.Slack, dm);
        var ticket = await store.FindTicketByDeliveryAsync(delivery, cancellationToken) is { } key && await store.GetAsync(key, cancellationToken) is { } opened
            ? opened
            : await tickets.OpenAsync(
                new OpenTicket(values.Team, values.Category, values.Priority, person.Id, TicketCards.Shorten(values.What, 200), origin) { Delivery = delivery },
                cancellationToken: cancellationToken);
        await inbox.CompleteAsync(
            delivery,
            [
                new OutboundMessage
                {
                    Id = RequesterCard.ReceiptId(ticket.Key),
                    Conversation = origin,
                    Card = TicketCards.Logged(ticket, person.DisplayName),
                    Ticket = ticket.Key,
                    CreatedAt = clock.GetUtcNow(),
                },
            ],
            cancellationToken: cancellationToken);
        signal.Notify();
    }

    private static JsonObject Input(string id, string label, JsonObject element) =>
        new() { ["type"] = "input", ["block_id"] = id, ["label"] = Plain(label, 2000), ["element"] = element };

    private static JsonObject Option(string text, string value) => new() { ["text"] = Plain(text, 75), ["value"] = value };

    private static JsonObject Plain(string text, int max) =>
        new() { ["type"] = "plain_text", ["text"] = text.Length <= max ? text : text[..max] };
}

public sealed record RequestFormValues(string What, string Team, string Category, string Priority);
