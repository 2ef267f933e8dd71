using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ItChatBot.Core.Cards;

namespace ItChatBot.Slack.BlockKit;

/// <summary>
/// Renders the channel-neutral <see cref="Card"/> as Block Kit: header, body section, field sections, the table as
/// a monospaced section, image, input, context, a divider and an actions block with confirm dialogs. Slack's limits
/// are met by folding what does not fit into "…and N more", never by failing: a card is always deliverable.
/// https://api.slack.com/reference/block-kit/blocks
/// </summary>
public sealed partial class BlockKitRenderer
{
    /// <summary>Buttons that share an action id within one block get <c>#n</c> appended; Slack requires unique ids.</summary>
    public const char ActionIdSuffix = '#';

    /// <summary>
    /// Marks a button whose press opens a modal asking for text (<see cref="CardButton.Asks"/>):
    /// <c>{action}#ask:{1 required|0 optional}:{input id}:{label}</c>. The click carries the action id back, so the
    /// modal can be built without remembering the card.
    /// </summary>
    public const string AskMarker = "#ask:";

    public RenderedCard Render(Card card)
    {
        var blocks = new List<JsonObject> { Header(card.Title) };
        if (!string.IsNullOrWhiteSpace(card.Text))
        {
            blocks.Add(Section(Fold(Mrkdwn(card.Text), BlockKitLimits.SectionText)));
        }

        AddFields(blocks, card.Fields);
        if (card.Table is { } table)
        {
            blocks.Add(Section(TableText(table)));
        }

        // A picture the host made travels as a file: SlackChannelSender uploads it into the card's thread.
        if (card.Image is { Content: null } image)
        {
            blocks.Add(ImageBlock(image));
        }

        if (card.Mentions.Count > 0)
        {
            blocks.Add(Section(Fold(string.Join(" ", card.Mentions.Select(Mention)), BlockKitLimits.SectionText)));
        }

        // When every button asks for its text in a modal, a box in the message would only be a second place to type.
        if (card.Input is { } input && !(card.Buttons.Count > 0 && card.Buttons.All(b => b.Asks is not null)))
        {
            blocks.Add(InputBlock(input));
        }

        // The tail always fits: the context line and the buttons matter most after the title.
        var tail = new List<JsonObject>();
        var context = card.Context;
        if (card.Buttons.Count > 0)
        {
            tail.Add(new JsonObject { ["type"] = "divider" });
            tail.Add(Actions(card.Buttons, out var notShown));
            if (notShown > 0)
            {
                context = $"{(context is null ? "" : context + " · ")}…and {notShown} more button{(notShown == 1 ? "" : "s")} not shown";
            }
        }

        var room = BlockKitLimits.BlocksPerMessage - tail.Count - (context is null ? 0 : 1);
        if (blocks.Count > room)
        {
            // One block is given up for the notice itself when there was no context line to carry it.
            var keep = context is null ? room - 1 : room;
            var dropped = blocks.Count - keep;
            blocks.RemoveRange(keep, dropped);
            context = $"{(context is null ? "" : context + " · ")}…and {dropped} more blocks not shown";
        }

        if (context is not null)
        {
            blocks.Add(Context(context));
        }

        blocks.AddRange(tail);

        // The fallback is the message's own text (and an upload's initial_comment), which Slack reads as mrkdwn: all of
        // it is the card's text, none is formatted here, so all of it is escaped before it is cut to size.
        return new RenderedCard(Fold(Escape(card.ToPlainText()), BlockKitLimits.FallbackText), new JsonArray([.. blocks]));
    }

    /// <summary>The button's own action id, without the suffixes that made it unique in its block or ask for text.</summary>
    public static string OriginalActionId(string actionId)
    {
        var hash = actionId.IndexOf(ActionIdSuffix, StringComparison.Ordinal);
        return hash > 0 ? actionId[..hash] : actionId;
    }

    /// <summary>The text a clicked button asks for before it is acted on (see <see cref="AskMarker"/>), or null.</summary>
    public static CardInput? AskedInput(string actionId)
    {
        var at = actionId.IndexOf(AskMarker, StringComparison.Ordinal);
        if (at < 0 || actionId[(at + AskMarker.Length)..].Split(':', 3) is not [var required and ("0" or "1"), { Length: > 0 } id, var label])
        {
            return null;
        }

        return new CardInput(id, label.Length == 0 ? id : label, Required: required == "1");
    }

    /// <summary>A Slack user id becomes a real mention (it notifies); anyone else is named.</summary>
    private static string Mention(CardMention mention) =>
        mention.PlatformUserId is { Length: > 1 } id && id[0] is 'U' or 'W' && id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
            ? $"<@{id}>"
            : $"@{Escape(mention.Name)}";

    private static void AddFields(List<JsonObject> blocks, IReadOnlyList<CardField> fields)
    {
        var pending = new JsonArray();
        void Flush()
        {
            if (pending.Count > 0)
            {
                blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = pending });
                pending = [];
            }
        }

        foreach (var field in fields)
        {
            var text = Fold($"*{Escape(field.Label)}*\n{Mrkdwn(field.Value)}", BlockKitLimits.FieldText);
            if (!field.Short)
            {
                // A long field gets the full width of its own section.
                Flush();
                blocks.Add(Section(text));
                continue;
            }

            pending.Add(Text("mrkdwn", text));
            if (pending.Count == BlockKitLimits.FieldsPerSection)
            {
                Flush();
            }
        }

        Flush();
    }

    /// <summary>
    /// The table as a monospaced section. Cells hold requester-typed text (ticket subjects on <c>/it queue</c>), so
    /// they are escaped like every other text: a <c>&lt;!channel&gt;</c> in a subject must stay text. The limit is
    /// checked on the escaped lines, so escaping cannot push the section past Slack's 3000 characters; what does not
    /// fit (rows, or columns of a header too wide on its own) is counted instead.
    /// </summary>
    private static string TableText(CardTable table)
    {
        var widths = table.Columns.Select((c, i) => Math.Min(40, Math.Max(c.Length, table.Rows.Select(r => i < r.Count ? r[i].Length : 0).DefaultIfEmpty(0).Max()))).ToArray();
        string Line(IReadOnlyList<string> cells, int columns) =>
            string.Join("  ", widths.Take(columns).Select((w, i) => Cell(i < cells.Count ? cells[i] : "", w))).TrimEnd();

        const string open = "```\n", close = "```";
        var notes = $"…and {table.Rows.Count} more rows\n…and {widths.Length} more columns not shown\n".Length;
        var columns = widths.Length;
        while (columns > 1 && open.Length + Line(table.Columns, columns).Length + 1 + notes + close.Length > BlockKitLimits.SectionText)
        {
            columns--;
        }

        var columnsLeftOut = columns < widths.Length ? $"…and {widths.Length - columns} more columns not shown\n" : "";
        var text = new StringBuilder(open).Append(Line(table.Columns, columns)).Append('\n');
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var line = Line(table.Rows[i], columns) + "\n";
            var more = $"…and {table.Rows.Count - i} more rows\n";
            if (text.Length + line.Length + more.Length + columnsLeftOut.Length + close.Length > BlockKitLimits.SectionText)
            {
                text.Append(more);
                break;
            }

            text.Append(line);
        }

        return text.Append(columnsLeftOut).Append(close).ToString();
    }

    /// <summary>A cell is clipped and padded by what the reader sees (<c>&amp;lt;</c> shows as one character), then escaped.</summary>
    private static string Cell(string text, int width)
    {
        var shown = Clip(text, width);
        return Escape(shown) + new string(' ', width - shown.Length);
    }

    /// <summary>
    /// Up to 25 buttons; past that, 24 and an overflow menu with the next ones that fit in it. What is neither a
    /// button nor an option is counted in <paramref name="notShown"/> for the context line, never dropped silently.
    /// </summary>
    private static JsonObject Actions(IReadOnlyList<CardButton> buttons, out int notShown)
    {
        var elements = new JsonArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var shown = buttons.Count;
        List<JsonObject> options = [];
        if (buttons.Count > BlockKitLimits.ActionsElements)
        {
            options = [.. buttons.Skip(BlockKitLimits.ActionsElements - 1).Select(OverflowOption).OfType<JsonObject>().Take(BlockKitLimits.OverflowOptions)];
            shown = BlockKitLimits.ActionsElements - 1;
            if (options.Count < BlockKitLimits.OverflowOptionsMin)
            {
                // Too few fit for a menu: the last slot is a button again.
                options = [];
                shown = BlockKitLimits.ActionsElements;
            }
        }

        notShown = buttons.Count - shown - options.Count;
        foreach (var button in buttons.Take(shown))
        {
            var count = seen[button.ActionId] = seen.GetValueOrDefault(button.ActionId) + 1;
            var actionId = count == 1 ? button.ActionId : $"{button.ActionId}{ActionIdSuffix}{count.ToString(CultureInfo.InvariantCulture)}";
            if (button.Asks is { } asks)
            {
                var ask = $"{actionId}{AskMarker}{(asks.Required ? '1' : '0')}:{asks.Id.Replace(":", "", StringComparison.Ordinal)}:";
                actionId = ask + (ask.Length >= BlockKitLimits.ActionId ? "" : asks.Label.Length <= BlockKitLimits.ActionId - ask.Length ? asks.Label : asks.Label[..(BlockKitLimits.ActionId - ask.Length)]);
            }

            var element = new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = Clip(actionId, BlockKitLimits.ActionId),
                ["text"] = Text("plain_text", Clip(button.Label, BlockKitLimits.ButtonText)),
                ["value"] = Clip(button.Value, BlockKitLimits.ButtonValue),
            };
            if (button.Style != ButtonStyle.Default)
            {
                element["style"] = button.Style == ButtonStyle.Primary ? "primary" : "danger";
            }

            if (button.Confirm is { } confirm)
            {
                element["confirm"] = new JsonObject
                {
                    ["title"] = Text("plain_text", Clip(button.Label, BlockKitLimits.ConfirmTitle)),
                    // The confirmation dialog object documents text as plain_text (300 characters), so it is not escaped.
                    ["text"] = Text("plain_text", Clip(confirm, BlockKitLimits.ConfirmText)),
                    ["confirm"] = Text("plain_text", Clip(button.Label, BlockKitLimits.ConfirmButton)),
                    ["deny"] = Text("plain_text", "Cancel"),
                    ["style"] = button.Style == ButtonStyle.Danger ? "danger" : "primary",
                };
            }

            elements.Add(element);
        }

        if (options.Count > 0)
        {
            elements.Add(new JsonObject { ["type"] = "overflow", ["action_id"] = "card.more", ["options"] = new JsonArray([.. options]) });
        }

        return new JsonObject { ["type"] = "actions", ["elements"] = elements };
    }

    /// <summary>
    /// A button as an overflow option, whose value carries <c>{action}|{value}</c> back (SlackInboundParser). A value
    /// cut to fit would act on something else when picked, so a button whose value does not fit gets no option (null).
    /// </summary>
    private static JsonObject? OverflowOption(CardButton button) =>
        $"{button.ActionId}|{button.Value}" is { Length: <= BlockKitLimits.OptionValue } value
            ? new JsonObject { ["text"] = Text("plain_text", Clip(button.Label, BlockKitLimits.OptionText)), ["value"] = value }
            : null;

    private static JsonObject Header(string title) =>
        new() { ["type"] = "header", ["text"] = Text("plain_text", Clip(title, BlockKitLimits.HeaderText)) };

    private static JsonObject Section(string mrkdwn) =>
        new() { ["type"] = "section", ["text"] = Text("mrkdwn", mrkdwn) };

    private static JsonObject Context(string text) =>
        new() { ["type"] = "context", ["elements"] = new JsonArray(Text("mrkdwn", Fold(Escape(text), BlockKitLimits.SectionText))) };

    private static JsonObject ImageBlock(CardImage image) =>
        Uri.TryCreate(image.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"
            ? new JsonObject { ["type"] = "image", ["image_url"] = url.ToString(), ["alt_text"] = Clip(image.AltText, BlockKitLimits.ImageAltText) }
            // Slack fetches images itself, so a host-relative path cannot be shown; say what it was instead.
            : Context($"Image: {image.AltText} ({image.Url})");

    private static JsonObject InputBlock(CardInput input)
    {
        var element = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = input.Id, ["multiline"] = true };
        if (input.Placeholder is { } placeholder)
        {
            element["placeholder"] = Text("plain_text", Clip(placeholder, BlockKitLimits.Placeholder));
        }

        return new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = input.Id,
            ["label"] = Text("plain_text", Clip(input.Label, BlockKitLimits.InputLabel)),
            ["optional"] = !input.Required,
            ["element"] = element,
        };
    }

    private static JsonObject Text(string type, string text) => new() { ["type"] = type, ["text"] = text.Length == 0 ? " " : text };

    /// <summary>Slack mrkdwn needs only &amp;, &lt; and &gt; escaped; the card's <c>*bold*</c> is already mrkdwn.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// The card's own text in a mrkdwn field: escaped, except a Slack user mention (<c>&lt;@U…&gt;</c>, kept from the
    /// request as typed) which stays a mention, so "give @newhire access" shows the person's name rather than the
    /// raw id. Special mentions (<c>&lt;!channel&gt;</c>, <c>&lt;!here&gt;</c>) and links stay escaped text.
    /// </summary>
    private static string Mrkdwn(string text) => EscapedUserMention().Replace(Escape(text), "<@$1>");

    [GeneratedRegex("&lt;@([UW][A-Z0-9]{2,})&gt;", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedUserMention();

    private static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>"&lt;@" + a user id (Slack's are 9–11 characters, room is left for longer ones) + "&gt;".</summary>
    private const int MaxMentionLength = 24;

    /// <summary>Cuts long text and says how much was left out.</summary>
    private static string Fold(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var probe = $"\n…and {text.Length} more characters";
        var keep = max - probe.Length;

        // Text is escaped before it is cut, so never cut inside an entity: a bare "&am" would show as written.
        var amp = text.LastIndexOf('&', keep - 1, Math.Min(keep, "&amp;".Length - 1));
        if (amp >= 0 && text.IndexOf(';', amp, keep - amp) < 0)
        {
            keep = amp;
        }

        // Nor inside a kept mention: half of "<@U…>" would show as raw markup.
        var open = text.LastIndexOf('<', keep - 1, Math.Min(keep, MaxMentionLength));
        if (open >= 0 && text.IndexOf('>', open, keep - open) < 0)
        {
            keep = open;
        }
        return string.Concat(text.AsSpan(0, keep), $"\n…and {(text.Length - keep).ToString(CultureInfo.InvariantCulture)} more characters");
    }
}

/// <summary>A card as Slack wants it: the notification fallback <c>text</c> and the <c>blocks</c>.</summary>
public sealed record RenderedCard(string Text, JsonArray Blocks);
