using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Host.WebChat;

/// <summary>Renders a <see cref="Card"/> as HTML for the local web chat. Everything from the card is encoded.</summary>
public static partial class HtmlCardRenderer
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <param name="file">A file sent with the card: shown as a download link when the host keeps it behind one.</param>
    public static string Render(Card card, OutboundFile? file = null)
    {
        var html = new StringBuilder("<div class=\"card\">");
        html.Append("<div class=\"card-title\">").Append(Markup(card.Title)).Append("</div>");
        if (!string.IsNullOrEmpty(card.Text))
        {
            html.Append("<div class=\"card-text\">").Append(Markup(card.Text)).Append("</div>");
        }

        if (card.Mentions.Count > 0)
        {
            html.Append("<div class=\"card-mentions\">")
                .Append(string.Join(" ", card.Mentions.Select(m => $"<span class=\"mention\">@{Encoder.Encode(m.Name)}</span>"))).Append("</div>");
        }

        if (card.Fields.Count > 0)
        {
            html.Append("<dl class=\"card-fields\">");
            foreach (var field in card.Fields)
            {
                html.Append("<div class=\"card-field\"><dt>").Append(Encoder.Encode(field.Label)).Append("</dt><dd>")
                    .Append(Markup(field.Value)).Append("</dd></div>");
            }

            html.Append("</dl>");
        }

        if (card.Table is { } table)
        {
            html.Append("<table class=\"card-table\"><thead><tr>");
            foreach (var column in table.Columns)
            {
                html.Append("<th>").Append(Encoder.Encode(column)).Append("</th>");
            }

            html.Append("</tr></thead><tbody>");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    html.Append("<td>").Append(Markup(cell)).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</tbody></table>");
        }

        if (card.Image is { } image)
        {
            html.Append("<img class=\"card-image\" src=\"").Append(Encoder.Encode(image.Url)).Append("\" alt=\"")
                .Append(Encoder.Encode(image.AltText)).Append("\">");
        }

        if (file is { Url: { } url })
        {
            html.Append("<a class=\"card-file\" href=\"").Append(Encoder.Encode(url)).Append("\" download=\"")
                .Append(Encoder.Encode(file.Name)).Append("\">Download ").Append(Encoder.Encode(file.Name)).Append("</a>");
        }

        if (card.Input is { } input)
        {
            html.Append("<label class=\"card-input\">").Append(Encoder.Encode(input.Label))
                .Append("<input name=\"").Append(Encoder.Encode(input.Id)).Append("\" placeholder=\"")
                .Append(Encoder.Encode(input.Placeholder ?? "")).Append('"').Append(input.Required ? " required" : "").Append("></label>");
        }

        if (!string.IsNullOrEmpty(card.Context))
        {
            html.Append("<div class=\"card-context\">").Append(Markup(card.Context)).Append("</div>");
        }

        if (card.Buttons.Count > 0)
        {
            html.Append("<div class=\"card-buttons\">");
            foreach (var button in card.Buttons)
            {
                html.Append("<button type=\"button\" class=\"btn ").Append(button.Style.ToString().ToLowerInvariant())
                    .Append("\" data-action-id=\"").Append(Encoder.Encode(button.ActionId))
                    .Append("\" data-value=\"").Append(Encoder.Encode(button.Value)).Append('"');
                if (button.Confirm is { } confirm)
                {
                    html.Append(" data-confirm=\"").Append(Encoder.Encode(confirm)).Append('"');
                }

                html.Append('>').Append(Encoder.Encode(button.Label)).Append("</button>");
            }

            html.Append("</div>");
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// Encodes, then turns <c>*bold*</c> into strong text, <c>`code`</c> into code (as Slack and Teams show them; the help
    /// card's "Type `/it` followed by…" showed its backticks here) and line breaks into &lt;br&gt;.
    /// </summary>
    private static string Markup(string text) =>
        Code().Replace(Bold().Replace(Encoder.Encode(text), "<strong>$1</strong>"), "<code>$1</code>").Replace("&#xA;", "<br>", StringComparison.Ordinal);

    [GeneratedRegex(@"\*([^*\n]+)\*")]
    private static partial Regex Bold();

    /// <summary>A backtick pair (the encoder leaves backticks as they are) on one line (a line break is encoded as <c>&amp;#xA;</c>).</summary>
    [GeneratedRegex(@"`((?:(?!&#xA;)[^`])+)`")]
    private static partial Regex Code();
}
