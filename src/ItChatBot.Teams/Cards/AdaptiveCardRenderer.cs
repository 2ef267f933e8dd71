using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ItChatBot.Core.Cards;

namespace ItChatBot.Teams.Cards;

/// <summary>
/// Renders the channel-neutral <see cref="Card"/> as an Adaptive Card, schema 1.5 (https://adaptivecards.io/explorer/):
/// title and text as TextBlocks, fields as a FactSet, a table as ColumnSets (the Table element is not on every
/// Teams client), buttons as an ActionSet of Action.Execute (verb = action id, data carries the value), with
/// positive/destructive styles and a ShowCard step where the button asks for confirmation.
/// </summary>
public static partial class AdaptiveCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";
    public const string Schema = "http://adaptivecards.io/schemas/adaptive-card.json";
    public const string Version = "1.5";

    /// <summary>Keys of an action's <c>data</c> object; card inputs arrive beside them under their own ids.</summary>
    public const string ActionKey = "actionId";
    public const string ValueKey = "value";

    /// <summary>
    /// Teams refuses a message over about 28 KB, card included; an image is carried inline (base64) only when the
    /// whole card stays under this, leaving room for the activity around it. Charts (15-27 KB of PNG at 800x400)
    /// rarely fit, so they need a link Teams can fetch: <c>Host:PublicBaseUrl</c>.
    /// </summary>
    public const int MaxInlineCardLength = 26 * 1024;

    public static JsonObject Render(Card card)
    {
        card = FitText(FitTable(card));
        return Render(card, card.Image is { Content: not null } ? MaxInlineCardLength - Length(card) : 0);
    }

    /// <summary>
    /// A table too long for one Teams message (a KPI card segmented by technician, a long queue) keeps as many rows as
    /// fit and says how many it left out, as the Block Kit renderer does, rather than making a card Teams refuses.
    /// </summary>
    private static Card FitTable(Card card)
    {
        if (card.Table is not { Rows.Count: > 0 } table || Length(card) <= MaxInlineCardLength)
        {
            return card;
        }

        // The most rows that fit, by bisection: the card's length grows with every row kept.
        var (fits, tooMany) = (0, table.Rows.Count);
        while (tooMany - fits > 1)
        {
            var middle = (fits + tooMany) / 2;
            (fits, tooMany) = Length(Folded(card, table, middle)) <= MaxInlineCardLength ? (middle, tooMany) : (fits, middle);
        }

        return Folded(card, table, fits);
    }

    private static Card Folded(Card card, CardTable table, int keep)
    {
        var left = table.Rows.Count - keep;
        var notShown = $"…and {left.ToString(System.Globalization.CultureInfo.InvariantCulture)} more row{(left == 1 ? "" : "s")} not shown";
        return card with
        {
            Table = table with { Rows = [.. table.Rows.Take(keep)] },
            Context = string.IsNullOrEmpty(card.Context) ? notShown : $"{card.Context} · {notShown}",
        };
    }

    /// <summary>
    /// A card still too long once its table is folded is long because of its words (a request pasted with a whole log,
    /// a long subject): every title, text, field and cell is cut to the longest length at which the card fits, marked
    /// with "…", so Teams takes the card rather than refusing it on every retry. Short strings are left whole.
    /// </summary>
    private static Card FitText(Card card)
    {
        if (Length(card) <= MaxInlineCardLength)
        {
            return card;
        }

        var strings = new[] { card.Title, card.Text ?? "" }
            .Concat(card.Fields.SelectMany(f => new[] { f.Label, f.Value }))
            .Concat(card.Table?.Rows.SelectMany(r => r) ?? []);
        var (fits, tooLong) = (0, strings.Max(s => s.Length));
        while (tooLong - fits > 1)
        {
            var middle = (fits + tooLong) / 2;
            (fits, tooLong) = Length(Capped(card, middle)) <= MaxInlineCardLength ? (middle, tooLong) : (fits, middle);
        }

        return Capped(card, fits);
    }

    private static Card Capped(Card card, int cap) => card with
    {
        Title = Cut(card.Title, cap),
        Text = card.Text is null ? null : Cut(card.Text, cap),
        Fields = [.. card.Fields.Select(f => f with { Label = Cut(f.Label, cap), Value = Cut(f.Value, cap) })],
        Table = card.Table is { } table ? table with { Rows = [.. table.Rows.Select(r => (IReadOnlyList<string>)[.. r.Select(c => Cut(c, cap))])] } : null,
    };

    /// <summary>The first <paramref name="cap"/> characters and "…", never splitting a surrogate pair.</summary>
    private static string Cut(string s, int cap)
    {
        if (s.Length <= cap)
        {
            return s;
        }

        var keep = cap > 0 && char.IsHighSurrogate(s[cap - 1]) ? cap - 1 : cap;
        return string.Concat(s.AsSpan(0, keep), "…");
    }

    /// <summary>The card's JSON length without its picture (which is budgeted on its own).</summary>
    private static int Length(Card card) => Render(card with { Image = null }, 0).ToJsonString().Length;

    private static JsonObject Render(Card card, int inlineImageBudget)
    {
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock", ["text"] = Escape(card.Title), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true, ["style"] = "heading",
            },
        };

        if (!string.IsNullOrEmpty(card.Text))
        {
            body.Add(TextBlock(card.Text));
        }

        var entities = new JsonArray();
        if (card.Mentions.Count > 0)
        {
            // A Teams mention is <at>Name</at> in the text plus an entity naming the user; without an id, just the name.
            var names = new List<string>();
            foreach (var mention in card.Mentions)
            {
                if (string.IsNullOrEmpty(mention.PlatformUserId))
                {
                    names.Add($"@{mention.Name}");
                    continue;
                }

                names.Add($"<at>{mention.Name}</at>");
                entities.Add(new JsonObject
                {
                    ["type"] = "mention",
                    ["text"] = $"<at>{mention.Name}</at>",
                    ["mentioned"] = new JsonObject { ["id"] = mention.PlatformUserId, ["name"] = mention.Name },
                });
            }

            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join(" ", names), ["wrap"] = true });
        }

        if (card.Fields.Count > 0)
        {
            body.Add(new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray([.. card.Fields.Select(f => (JsonNode)new JsonObject { ["title"] = Escape(f.Label), ["value"] = Markdown(f.Value) })]),
            });
        }

        if (card.Table is { } table)
        {
            body.Add(Row(table.Columns, header: true));
            foreach (var row in table.Rows)
            {
                body.Add(Row(row, header: false));
            }
        }

        if (card.Image is { } image)
        {
            body.Add(ImageElement(image, inlineImageBudget));
        }

        if (card.Input is { } input)
        {
            var box = new JsonObject
            {
                ["type"] = "Input.Text", ["id"] = input.Id, ["label"] = input.Label, ["isRequired"] = input.Required, ["isMultiline"] = true,
            };
            if (input.Placeholder is not null)
            {
                box["placeholder"] = input.Placeholder;
            }

            if (input.Required)
            {
                box["errorMessage"] = $"{input.Label} is required.";
            }

            body.Add(box);
        }

        if (!string.IsNullOrEmpty(card.Context))
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = Markdown(card.Context), ["isSubtle"] = true, ["size"] = "Small", ["wrap"] = true });
        }

        if (card.Buttons.Count > 0)
        {
            body.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray([.. card.Buttons.Select(b => (JsonNode)Button(b))]) });
        }

        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = Schema,
            ["version"] = Version,
            ["body"] = body,
            ["msteams"] = entities.Count == 0
                ? new JsonObject { ["width"] = "Full" }
                : new JsonObject { ["width"] = "Full", ["entities"] = entities },
        };
    }

    /// <summary>
    /// An image Teams can show: a link it can fetch (absolute; the host's signed links are when <c>Host:PublicBaseUrl</c>
    /// is set), else the picture inline as a data URI when it fits the message size limit, else its description.
    /// </summary>
    private static JsonObject ImageElement(CardImage image, int inlineBudget)
    {
        if (Uri.TryCreate(image.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http")
        {
            return new JsonObject { ["type"] = "Image", ["url"] = image.Url, ["altText"] = image.AltText, ["size"] = "Stretch" };
        }

        // The data URI's prefix and the element's other keys take about 100 characters beside the base64.
        if (image.Content is { } png && Base64Length(png.Length) + 100 + image.AltText.Length <= inlineBudget)
        {
            return new JsonObject { ["type"] = "Image", ["url"] = "data:image/png;base64," + Convert.ToBase64String(png), ["altText"] = image.AltText, ["size"] = "Stretch" };
        }

        // A host-relative path cannot be fetched by Teams and the picture is too big to carry: say what it shows (brackets escaped by TextBlock).
        return TextBlock($"[{image.AltText}: Teams can show it once Host:PublicBaseUrl is set; the web chat shows it now]");
    }

    private static int Base64Length(int bytes) => (bytes + 2) / 3 * 4;

    /// <summary>The attachment that carries the card in an activity.</summary>
    public static JsonObject Attachment(Card card) => new() { ["contentType"] = ContentType, ["content"] = Render(card) };

    private static JsonObject Button(CardButton button)
    {
        var execute = Execute(button, button.Label);
        if (button.Confirm is null)
        {
            return execute;
        }

        // Adaptive Cards have no confirm dialog: the button opens a small card that asks, with the real action inside.
        return new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["title"] = button.Label,
            ["card"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = new JsonArray { TextBlock(button.Confirm) },
                ["actions"] = new JsonArray { Execute(button, "Confirm") },
            },
        };
    }

    private static JsonObject Execute(CardButton button, string title)
    {
        var action = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = title,
            ["verb"] = button.ActionId,
            ["data"] = new JsonObject { [ActionKey] = button.ActionId, [ValueKey] = button.Value },
        };
        var style = button.Style switch
        {
            ButtonStyle.Primary => "positive",
            ButtonStyle.Danger => "destructive",
            _ => null,
        };
        if (style is not null)
        {
            action["style"] = style;
        }

        return action;
    }

    private static JsonObject Row(IReadOnlyList<string> cells, bool header) => new()
    {
        ["type"] = "ColumnSet",
        ["separator"] = header,
        ["columns"] = new JsonArray([.. cells.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = "Column",
            ["width"] = "stretch",
            ["items"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = Markdown(c), ["wrap"] = true, ["weight"] = header ? "Bolder" : "Default" },
            },
        })]),
    };

    private static JsonObject TextBlock(string text) => new() { ["type"] = "TextBlock", ["text"] = Markdown(text), ["wrap"] = true };

    /// <summary>
    /// Card text as Adaptive Card markdown: everything escaped (<see cref="Escape"/>), then the card's one piece of
    /// markup, <c>*bold*</c>, as <c>**bold**</c>. Text a user typed (a subject, a reason) is mixed into card text, so
    /// it is escaped like the rest; a <c>*word*</c> of theirs turns bold, as on Slack.
    /// </summary>
    internal static string Markdown(string text)
    {
        var result = new StringBuilder(text.Length + 8);
        var at = 0;
        foreach (Match bold in Bold().Matches(text))
        {
            result.Append(Escape(text[at..bold.Index])).Append("**").Append(Escape(bold.Groups[1].Value)).Append("**");
            at = bold.Index + bold.Length;
        }

        return result.Append(Escape(text[at..])).ToString();
    }

    /// <summary>
    /// Backslash-escapes what a TextBlock's markdown would turn into a link or emphasis, so user text shows as typed:
    /// <c>\</c>, <c>[</c>, <c>]</c>, a <c>(</c> right after <c>]</c> (some renderers ignore the escapes but still need
    /// <c>](</c> side by side for a link), and <c>*</c> or <c>_</c> unless it stands alone between spaces (then it
    /// cannot be emphasis, so <c>2 * 3</c> stays as is). Line-start list markers are left alone: the bot's own texts
    /// use lists, and a list cannot hide where a link goes.
    /// </summary>
    internal static string Escape(string text) => Special().Replace(text, @"\$0");

    [GeneratedRegex(@"(?<![*\w])\*([^*\n]+)\*(?![*\w])")]
    private static partial Regex Bold();

    [GeneratedRegex(@"[\\\[\]]|(?<=\])\(|(?<=\S)[*_]|[*_](?=\S)")]
    private static partial Regex Special();
}
