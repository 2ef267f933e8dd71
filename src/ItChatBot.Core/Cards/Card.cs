namespace ItChatBot.Core.Cards;

/// <summary>
/// A channel-neutral message: each channel renders it (Block Kit, Adaptive Card, HTML).
/// Model only what the product uses; a renderer that meets an element it cannot show folds it into text.
/// </summary>
public sealed record Card
{
    public required string Title { get; init; }

    /// <summary>Body text; <c>*bold*</c> and line breaks are the only markup renderers must understand.</summary>
    public string? Text { get; init; }

    public IReadOnlyList<CardField> Fields { get; init; } = [];

    public CardTable? Table { get; init; }

    /// <summary>A small line under the body: ticket key, time left, who decided.</summary>
    public string? Context { get; init; }

    public IReadOnlyList<CardButton> Buttons { get; init; } = [];

    /// <summary>A chart or other picture, served by the host at this path or URL.</summary>
    public CardImage? Image { get; init; }

    /// <summary>A text box whose value comes back with a button press (e.g. an approval's reason).</summary>
    public CardInput? Input { get; init; }

    /// <summary>People the card calls on (an approval's approvers): each channel turns them into a real mention that notifies.</summary>
    public IReadOnlyList<CardMention> Mentions { get; init; } = [];

    /// <summary>Plain-text rendering for logs, notifications and channels without rich cards.</summary>
    public string ToPlainText()
    {
        var lines = new List<string> { Title };
        if (!string.IsNullOrEmpty(Text))
        {
            lines.Add(Text);
        }

        if (Mentions.Count > 0)
        {
            lines.Add(string.Join(", ", Mentions.Select(m => $"@{m.Name}")));
        }

        lines.AddRange(Fields.Select(f => $"{f.Label}: {f.Value}"));
        if (Table is { } table)
        {
            lines.Add(string.Join(" | ", table.Columns));
            lines.AddRange(table.Rows.Select(r => string.Join(" | ", r)));
        }

        if (!string.IsNullOrEmpty(Context))
        {
            lines.Add(Context);
        }

        return string.Join('\n', lines);
    }
}

public sealed record CardField(string Label, string Value, bool Short = true);

public sealed record CardTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

/// <param name="ActionId">What the router dispatches on, e.g. <c>ticket.claim</c>.</param>
/// <param name="Value">Carried back with the press, e.g. the ticket key.</param>
/// <param name="Confirm">When set, the channel asks "are you sure" with this text before sending the press.</param>
/// <param name="Asks">
/// The press needs this text (an approval's optional reason, an override's required reason), which comes back in
/// the action's inputs under the input's id: Slack asks for it in a modal opened by the press; Teams and the web
/// chat send the card's own <see cref="Card.Input"/> box (give the card one with the same id).
/// </param>
public sealed record CardButton(string ActionId, string Label, string Value, ButtonStyle Style = ButtonStyle.Default, string? Confirm = null, CardInput? Asks = null);

public sealed record CardImage(string Url, string AltText)
{
    /// <summary>
    /// The picture itself (PNG) when the host made it, so a channel that cannot fetch <see cref="Url"/> (Slack
    /// without a public address, Teams inline) can upload or embed it instead.
    /// </summary>
    public byte[]? Content { get; init; }
}

/// <param name="Name">How the person is called in text.</param>
/// <param name="PlatformUserId">Their user id on the card's channel (Slack <c>U…</c>, Teams <c>29:…</c>), or null when unknown there.</param>
public sealed record CardMention(string Name, string? PlatformUserId);

public sealed record CardInput(string Id, string Label, string? Placeholder = null, bool Required = false);
