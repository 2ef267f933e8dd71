using System.Reflection;
using ItChatBot.Core.Cards;
using ItChatBot.Slack.BlockKit;

namespace ItChatBot.Slack.Tests;

/// <summary>
/// Every property of every Card element must show up in the Block Kit rendering: each string property gets a
/// unique marker that must appear in the blocks, and each other property must be listed here with a check of
/// its effect. A property added to Card without a rendering fails this test.
/// </summary>
public sealed class BlockKitLintTests
{
    private static readonly Type[] CardElements = [typeof(Card), typeof(CardField), typeof(CardTable), typeof(CardButton), typeof(CardImage), typeof(CardInput), typeof(CardMention)];

    /// <summary>Non-string properties and how their rendering is checked.</summary>
    private static readonly Dictionary<string, Func<BlockKitRenderer, bool>> OtherChecks = new()
    {
        ["Card.Fields"] = r => Json(r, new Card { Title = "t", Fields = [new("L", "V")] }).Contains("\"fields\"", StringComparison.Ordinal),
        ["Card.Table"] = r => Json(r, new Card { Title = "t", Table = new(["c"], [["v"]]) }).Contains("```", StringComparison.Ordinal),
        ["Card.Buttons"] = r => Json(r, new Card { Title = "t", Buttons = [new("a.b", "L", "V")] }).Contains("\"actions\"", StringComparison.Ordinal),
        ["Card.Image"] = r => Json(r, new Card { Title = "t", Image = new("https://x.example/i.png", "alt") }).Contains("\"image\"", StringComparison.Ordinal),
        ["CardImage.Content"] = r => Json(r, new Card { Title = "t", Image = new("/files/1.png", "alt") { Content = [1, 2] } }) is var j
            && !j.Contains("\"image\"", StringComparison.Ordinal) && !j.Contains("/files/1.png", StringComparison.Ordinal),
        ["Card.Input"] = r => Json(r, new Card { Title = "t", Input = new("i", "L") }).Contains("\"input\"", StringComparison.Ordinal),
        ["CardField.Short"] = r => !Json(r, new Card { Title = "t", Fields = [new("L", "V", Short: false)] }).Contains("\"fields\"", StringComparison.Ordinal),
        ["CardTable.Columns"] = r => Json(r, new Card { Title = "t", Table = new(["COLMARK"], []) }).Contains("COLMARK", StringComparison.Ordinal),
        ["CardTable.Rows"] = r => Json(r, new Card { Title = "t", Table = new(["c"], [["ROWMARK"]]) }).Contains("ROWMARK", StringComparison.Ordinal),
        ["CardButton.Style"] = r => Json(r, new Card { Title = "t", Buttons = [new("a.b", "L", "V", ButtonStyle.Primary), new("a.c", "L", "V", ButtonStyle.Danger)] }) is var j
            && j.Contains("\"primary\"", StringComparison.Ordinal) && j.Contains("\"danger\"", StringComparison.Ordinal),
        ["Card.Mentions"] = r => Json(r, new Card { Title = "t", Mentions = [new("Dave", "UDAVE1")] }).Contains("<@UDAVE1>", StringComparison.Ordinal),
        // A Slack user id becomes a notifying <@U…> (Slack shows the name); someone without one is named.
        ["CardMention.PlatformUserId"] = r => Json(r, new Card { Title = "t", Mentions = [new("Dave", "UDAVE1")] }).Contains("<@UDAVE1>", StringComparison.Ordinal),
        ["CardMention.Name"] = r => Json(r, new Card { Title = "t", Mentions = [new("M_Name", null)] }).Contains("@M_Name", StringComparison.Ordinal),
        ["CardButton.Asks"] = r => Json(r, new Card { Title = "t", Buttons = [new("a.b", "L", "V", Asks: new("why", "Why?", Required: true))] }).Contains("a.b#ask:1:why:Why?", StringComparison.Ordinal),
        ["CardInput.Required"] = r => Json(r, new Card { Title = "t", Input = new("i", "L", Required: true) }).Contains("\"optional\":false", StringComparison.Ordinal),
    };

    [Fact]
    public void Every_card_element_property_has_a_block_kit_rendering()
    {
        var renderer = new BlockKitRenderer();
        var card = new Card
        {
            Title = "M_Card_Title",
            Text = "M_Card_Text",
            Context = "M_Card_Context",
            Fields = [new("M_CardField_Label", "M_CardField_Value")],
            Table = new(["c"], [["v"]]),
            Buttons = [new("M_CardButton_ActionId", "M_CardButton_Label", "M_CardButton_Value", ButtonStyle.Danger, "M_CardButton_Confirm")],
            Image = new("https://x.example/M_CardImage_Url.png", "M_CardImage_AltText"),
            Input = new("M_CardInput_Id", "M_CardInput_Label", "M_CardInput_Placeholder"),
        };
        var json = Json(renderer, card);

        var missing = new List<string>();
        foreach (var type in CardElements)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
            {
                var name = $"{type.Name}.{property.Name}";
                var covered = OtherChecks.TryGetValue(name, out var check)
                    ? check(renderer)
                    : property.PropertyType == typeof(string) && json.Contains($"M_{type.Name}_{property.Name}", StringComparison.Ordinal);
                if (!covered)
                {
                    missing.Add(name);
                }
            }
        }

        Assert.Empty(missing);
    }

    private static string Json(BlockKitRenderer renderer, Card card) => BlockKitRendererTests.Json(renderer.Render(card));
}
