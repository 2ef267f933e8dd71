using System.Text.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Slack.BlockKit;
using ItChatBot.Slack.Inbound;

namespace ItChatBot.Slack;

/// <summary>
/// The modal a card button opens when its press needs text (<see cref="CardButton.Asks"/>: an approval's reason, an
/// override's required reason). The click's <c>trigger_id</c> opens it; <c>private_metadata</c> carries what the
/// button was (action, value, the card's channel, thread and message), so the submission becomes the same card
/// action with the text in its inputs. A submission whose metadata is unreadable, names an unknown action, lacks a
/// required text or has gone stale (the approval was decided meanwhile) is answered with errors in the modal and
/// stores nothing.
/// </summary>
public sealed class SlackCardInputForm(IEnumerable<ICardActionHandler> handlers, IEnumerable<ICardActionCheck> checks, PersonResolver people, TimeProvider clock)
{
    public const string CallbackId = "card.input";
    public const int MaxText = 2000;

    private readonly HashSet<string> _actions = new(handlers.SelectMany(h => h.Actions), StringComparer.OrdinalIgnoreCase);
    private readonly ICardActionCheck[] _checks = [.. checks];

    /// <summary>The modal for a <c>block_actions</c> click on an asking button; null when the click does not ask.</summary>
    public static JsonObject? BuildView(JsonElement payload)
    {
        var clicked = payload.GetProperty("actions")[0];
        if (BlockKitRenderer.AskedInput(clicked.Str("action_id") ?? "") is not { } asks)
        {
            return null;
        }

        var container = payload.Obj("container");
        var message = payload.Obj("message");
        var metadata = new Metadata(
            BlockKitRenderer.OriginalActionId(clicked.Str("action_id")!),
            clicked.Str("value") ?? "",
            container.Str("channel_id") ?? payload.Obj("channel").Str("id") ?? "",
            container.Str("thread_ts") ?? message.Str("thread_ts"),
            container.Str("message_ts") ?? message.Str("ts"),
            asks.Id,
            asks.Required);
        var label = clicked.Obj("text").Str("text") is { Length: > 0 } text ? text : "Submit";
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CallbackId,
            ["private_metadata"] = JsonSerializer.Serialize(metadata),
            ["title"] = Plain(label, 24),
            ["submit"] = Plain(label, 24),
            ["close"] = Plain("Cancel", 24),
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = asks.Id,
                ["label"] = Plain(asks.Label, 2000),
                ["optional"] = !asks.Required,
                ["element"] = new JsonObject
                {
                    ["type"] = "plain_text_input",
                    ["action_id"] = asks.Id,
                    ["multiline"] = true,
                    ["max_length"] = MaxText,
                },
            }),
        };
    }

    /// <summary>
    /// Whether a click should open the modal at all: not when the press is already stale or the person would be
    /// refused. Then the press goes straight to its handler, which answers privately (and audits a refusal) at once.
    /// </summary>
    public async Task<bool> ShouldAskAsync(CardAction click, CancellationToken cancellationToken)
    {
        var prefix = click.ActionId.Split('.', 2)[0];
        var mine = _checks.Where(c => c.Prefix.Equals(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (mine.Count == 0)
        {
            return true;
        }

        var person = await people.ResolveAsync(Channels.Slack, click.FromPlatformUserId, cancellationToken);
        foreach (var check in mine)
        {
            if (await check.WhyStaleAsync(click, cancellationToken) is not null || await check.WhyRefusedAsync(click, person, cancellationToken) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What is wrong with a submission, by block id, for Slack to show in the modal; empty when it can be stored.</summary>
    public async Task<Dictionary<string, string>> CheckAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var view = payload.Obj("view");
        var (action, problem) = Read(payload, clock.GetUtcNow(), "check");
        if (action is null)
        {
            return new() { [Metadata.Parse(view.Str("private_metadata"))?.Input ?? FirstBlock(view)] = problem! };
        }

        var meta = Metadata.Parse(view.Str("private_metadata"))!;
        var block = meta.Input;
        if (meta.Required && string.IsNullOrWhiteSpace(action.Inputs.GetValueOrDefault(meta.Input)))
        {
            return new() { [block] = "This needs a reason: say why, then submit." };
        }

        var prefix = action.ActionId.Split('.', 2)[0];
        foreach (var check in _checks.Where(c => c.Prefix.Equals(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            if (await check.WhyStaleAsync(action, cancellationToken) is { } stale)
            {
                return new() { [block] = stale };
            }
        }

        return [];
    }

    /// <summary>
    /// The card action a submission stands for, or why it cannot be one: unreadable metadata, an unknown action,
    /// or text longer than the box allows.
    /// </summary>
    public (CardAction? Action, string? Problem) Read(JsonElement payload, DateTimeOffset receivedAt, string platformId)
    {
        var view = payload.Obj("view");
        if (Metadata.Parse(view.Str("private_metadata")) is not { } meta)
        {
            return (null, "This form lost track of which card it belongs to. Close it and press the button on the card again; nothing was changed.");
        }

        if (!_actions.Contains(meta.Action))
        {
            return (null, $"This form is for '{meta.Action}', which this app does not know. Close it and press the button on the card again; nothing was changed.");
        }

        var text = view.Obj("state").Obj("values").Obj(meta.Input).Obj(meta.Input).Str("value")?.Trim() ?? "";
        if (text.Length > MaxText)
        {
            return (null, $"At most {MaxText} characters, please.");
        }

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text.Length > 0)
        {
            inputs[meta.Input] = text;
        }

        return (new CardAction
        {
            PlatformId = platformId,
            Conversation = new ConversationRef(Channels.Slack, meta.Channel, meta.Thread),
            FromPlatformUserId = payload.Obj("user").Str("id") ?? "",
            ReceivedAt = receivedAt,
            MessageId = meta.Message,
            ActionId = meta.Action,
            Value = meta.Value,
            Inputs = inputs,
        }, null);
    }

    private static string FirstBlock(JsonElement view) =>
        view.Obj("state").Obj("values") is { ValueKind: JsonValueKind.Object } values && values.EnumerateObject().FirstOrDefault() is { Name.Length: > 0 } first
            ? first.Name
            : "reason";

    private static JsonObject Plain(string text, int max) =>
        new() { ["type"] = "plain_text", ["text"] = text.Length <= max ? text : text[..max] };

    /// <summary>What the modal is for, kept in <c>private_metadata</c> (at most 3000 characters; a button value is at most 2000).</summary>
    private sealed record Metadata(string Action, string Value, string Channel, string? Thread, string? Message, string Input, bool Required)
    {
        public static Metadata? Parse(string? json)
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                return null;
            }

            try
            {
                var m = JsonSerializer.Deserialize<Metadata>(json);
                return m is { Action.Length: > 0, Value: not null, Channel.Length: > 0, Input.Length: > 0 } ? m : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
