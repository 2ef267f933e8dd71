using System.Reflection;
using System.Text.Json.Nodes;
using ItChatBot.Core.Cards;
using ItChatBot.Teams.Cards;

namespace ItChatBot.Teams.Tests;

public sealed class AdaptiveCardRendererTests
{
    private static readonly Card Full = new()
    {
        Title = "IT-12: VPN access",
        Text = "Approve *now* please",
        Fields = [new("Status", "Pending approval"), new("Priority", "P2")],
        Table = new CardTable(["metric", "value"], [["MTTR", "4.2 h"], ["FCR", "71%"]]),
        Context = "IT-12 · opened 2026-03-02 09:00 UTC",
        Buttons =
        [
            new CardButton("approval.approve", "Approve", "run-1", ButtonStyle.Primary),
            new CardButton("approval.deny", "Deny", "run-1", ButtonStyle.Danger, "Deny this request?"),
        ],
        Image = new CardImage("https://example.com/chart.png", "Backlog trend"),
        Input = new CardInput("reason", "Reason", "Why?", Required: true),
        Mentions = [new CardMention("Dave Manager", "29:dave")],
    };

    [Fact]
    public void The_card_is_schema_1_5_with_the_title_first()
    {
        var card = AdaptiveCardRenderer.Render(Full);

        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", (string?)card["$schema"]);
        Assert.Equal("IT-12: VPN access", (string?)card["body"]![0]!["text"]);
    }

    [Fact]
    public void Fields_are_a_fact_set_and_a_table_is_column_sets()
    {
        var body = AdaptiveCardRenderer.Render(Full)["body"]!.AsArray();

        var facts = body.Single(e => (string?)e!["type"] == "FactSet")!["facts"]!.AsArray();
        Assert.Equal(["Status", "Priority"], facts.Select(f => (string)f!["title"]!));
        var rows = body.Where(e => (string?)e!["type"] == "ColumnSet").ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal("Bolder", (string?)rows[0]!["columns"]![0]!["items"]![0]!["weight"]);
        Assert.Equal("4.2 h", (string?)rows[1]!["columns"]![1]!["items"]![0]!["text"]);
    }

    [Fact]
    public void Buttons_are_action_execute_with_verb_data_and_styles()
    {
        var actions = AdaptiveCardRenderer.Render(Full)["body"]!.AsArray().Single(e => (string?)e!["type"] == "ActionSet")!["actions"]!.AsArray();

        var approve = actions[0]!;
        Assert.Equal("Action.Execute", (string?)approve["type"]);
        Assert.Equal("approval.approve", (string?)approve["verb"]);
        Assert.Equal("run-1", (string?)approve["data"]!["value"]);
        Assert.Equal("positive", (string?)approve["style"]);

        // A confirmation is a ShowCard step holding the real, destructive Execute action.
        var deny = actions[1]!;
        Assert.Equal("Action.ShowCard", (string?)deny["type"]);
        Assert.Equal("Deny this request?", (string?)deny["card"]!["body"]![0]!["text"]);
        var confirm = deny["card"]!["actions"]![0]!;
        Assert.Equal("Action.Execute", (string?)confirm["type"]);
        Assert.Equal("destructive", (string?)confirm["style"]);
        Assert.Equal("approval.deny", (string?)confirm["verb"]);
    }

    [Fact]
    public void Bold_markup_becomes_adaptive_card_markdown()
    {
        Assert.Equal("Approve **now** please", AdaptiveCardRenderer.Markdown("Approve *now* please"));
        Assert.Equal("2 * 3 = 6", AdaptiveCardRenderer.Markdown("2 * 3 = 6"));
    }

    [Fact]
    public void User_text_cannot_become_a_link_or_emphasis_anywhere_on_the_card()
    {
        const string phishing = "[Reset your password](https://evil.example/login)";
        var card = AdaptiveCardRenderer.Render(new Card
        {
            Title = $"IT-7: {phishing}",
            Text = $"You wrote: {phishing} and **urgent** __now__",
            Fields = [new("Reason", phishing)],
            Table = new CardTable(["subject"], [[phishing]]),
            Context = phishing,
            Buttons = [new CardButton("ticket.withdraw", "Withdraw", "IT-7", ButtonStyle.Danger, $"Withdraw {phishing}?")],
        });

        var texts = card.ToJsonString();
        var escaped = @"\[Reset your password\]\(https://evil.example/login)";
        var body = card["body"]!.AsArray();
        Assert.Equal($"IT-7: {escaped}", (string?)body[0]!["text"]);
        Assert.Equal($@"You wrote: {escaped} and \*\*urgent\*\* \_\_now\_\_", (string?)body[1]!["text"]);
        Assert.Equal(escaped, (string?)body.Single(e => (string?)e!["type"] == "FactSet")!["facts"]![0]!["value"]);
        Assert.Equal(escaped, (string?)body.Where(e => (string?)e!["type"] == "ColumnSet").Last()!["columns"]![0]!["items"]![0]!["text"]);
        Assert.Equal(escaped, (string?)body.Single(e => (bool?)e!["isSubtle"] == true)!["text"]);
        var confirm = body.Single(e => (string?)e!["type"] == "ActionSet")!["actions"]![0]!["card"]!["body"]![0]!;
        Assert.Equal($"Withdraw {escaped}?", (string?)confirm["text"]);
        Assert.DoesNotContain(phishing, texts, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Approve *now* please", "Approve **now** please")]
    [InlineData("*IT-3* by *[Ann](https://x.example)*", @"**IT-3** by **\[Ann\]\(https://x.example)**")]
    [InlineData("2 * 3 = 6 and a _ alone", "2 * 3 = 6 and a _ alone")]
    [InlineData(@"C:\temp\new_file (copy).txt", @"C:\\temp\\new\_file (copy).txt")]
    [InlineData("1. Open Settings\n- pick a printer", "1. Open Settings\n- pick a printer")]
    public void The_cards_own_bold_stays_bold_while_everything_else_is_literal(string text, string markdown)
    {
        Assert.Equal(markdown, AdaptiveCardRenderer.Markdown(text));
    }

    /// <summary>Every element of the channel-neutral card shows up on Teams: a new Card property fails this until rendered.</summary>
    [Fact]
    public void Every_card_property_is_rendered()
    {
        var json = AdaptiveCardRenderer.Render(Full).ToJsonString();
        var expected = new Dictionary<string, string>
        {
            [nameof(Card.Title)] = "IT-12: VPN access",
            [nameof(Card.Text)] = "Approve **now** please",
            [nameof(Card.Fields)] = "Pending approval",
            [nameof(Card.Table)] = "71%",
            [nameof(Card.Context)] = "opened 2026-03-02",
            [nameof(Card.Buttons)] = "approval.deny",
            [nameof(Card.Image)] = "https://example.com/chart.png",
            [nameof(Card.Input)] = "\"id\":\"reason\"",
            [nameof(Card.Mentions)] = "\"mentioned\":{\"id\":\"29:dave\",\"name\":\"Dave Manager\"}",
        };
        var properties = typeof(Card).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order().ToList();

        Assert.Equal(expected.Keys.Order(), properties);
        foreach (var (property, fragment) in expected)
        {
            Assert.True(json.Contains(fragment, StringComparison.Ordinal), $"{property} is not rendered ({fragment} missing)");
        }
    }

    [Fact]
    public void A_relative_image_is_described_in_text_since_teams_cannot_fetch_it()
    {
        var card = AdaptiveCardRenderer.Render(new Card { Title = "t", Image = new CardImage("/charts/backlog.png", "Backlog trend") });

        Assert.DoesNotContain(card["body"]!.AsArray(), e => (string?)e!["type"] == "Image");
        Assert.Contains("Backlog trend", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_attachment_has_the_adaptive_card_content_type()
    {
        var attachment = AdaptiveCardRenderer.Attachment(new Card { Title = "t" });

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.IsType<JsonObject>(attachment["content"]);
    }

    [Fact]
    public void Mentions_are_at_tags_with_an_entity_each_and_people_without_a_teams_id_are_named()
    {
        var card = AdaptiveCardRenderer.Render(new Card { Title = "t", Mentions = [new CardMention("Dave Manager", "29:dave"), new CardMention("Sam Secure", null)] });

        var line = card["body"]!.AsArray().Select(e => (string?)e!["text"]).Single(t => t?.Contains("Dave", StringComparison.Ordinal) == true);
        Assert.Equal("<at>Dave Manager</at> @Sam Secure", line);
        var entity = Assert.Single(card["msteams"]!["entities"]!.AsArray())!;
        Assert.Equal("mention", (string?)entity["type"]);
        Assert.Equal("<at>Dave Manager</at>", (string?)entity["text"]);
        Assert.Equal("29:dave", (string?)entity["mentioned"]!["id"]);
    }

    [Fact]
    public void A_table_too_long_for_one_teams_message_keeps_the_rows_that_fit_and_says_how_many_it_left_out()
    {
        var rows = Enumerable.Range(1, 2000).Select(i => (IReadOnlyList<string>)[$"tech{i}", $"{i % 9}.5 h", $"{i % 100}%"]).ToList();
        var card = new Card { Title = "MTTR by technician", Table = new CardTable(["tech", "mttr", "fcr"], rows), Context = "IT, last 30 days" };

        var rendered = AdaptiveCardRenderer.Render(card);

        Assert.True(rendered.ToJsonString().Length <= AdaptiveCardRenderer.MaxInlineCardLength, $"{rendered.ToJsonString().Length} characters");
        var body = rendered["body"]!.AsArray();
        var shown = body.Where(e => (string?)e!["type"] == "ColumnSet").Skip(1).ToList();
        Assert.InRange(shown.Count, 10, 1999);
        Assert.Equal("tech1", (string?)shown[0]!["columns"]![0]!["items"]![0]!["text"]);
        Assert.Equal($"tech{shown.Count}", (string?)shown[^1]!["columns"]![0]!["items"]![0]!["text"]);
        var context = (string?)body.Single(e => e!["isSubtle"]?.GetValue<bool>() == true)!["text"];
        Assert.Equal($"IT, last 30 days · …and {2000 - shown.Count} more rows not shown", context);

        // As many as fit: a table of one row more than was shown does not fit either, and loses that row.
        var oneMore = AdaptiveCardRenderer.Render(card with { Table = new CardTable(["tech", "mttr", "fcr"], [.. rows.Take(shown.Count + 1)]) })["body"]!.AsArray();
        Assert.Equal(shown.Count, oneMore.Count(e => (string?)e!["type"] == "ColumnSet") - 1);
        Assert.Equal("IT, last 30 days · …and 1 more row not shown", (string?)oneMore.Single(e => e!["isSubtle"]?.GetValue<bool>() == true)!["text"]);
    }

    [Fact]
    public void A_table_that_fits_is_left_whole()
    {
        var rows = Enumerable.Range(1, 20).Select(i => (IReadOnlyList<string>)[$"tech{i}", "1.5 h"]).ToList();

        var body = AdaptiveCardRenderer.Render(new Card { Title = "MTTR", Table = new CardTable(["tech", "mttr"], rows) })["body"]!.AsArray();

        Assert.Equal(21, body.Count(e => (string?)e!["type"] == "ColumnSet"));
        Assert.DoesNotContain(body, e => ((string?)e!["text"])?.Contains("more rows not shown", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_card_too_long_because_of_its_text_is_cut_to_fit_and_says_so()
    {
        var log = string.Concat(Enumerable.Repeat("ERROR 0x80070005 access denied at C:\\Windows\\System32 ", 1200));
        var card = new Card
        {
            Title = "IT-12 · VPN drops",
            Text = log,
            Fields = [new CardField("Status", "New"), new CardField("Details", log)],
            Context = "Opened in Teams",
        };
        Assert.True(log.Length > 2 * AdaptiveCardRenderer.MaxInlineCardLength);

        var rendered = AdaptiveCardRenderer.Render(card);

        Assert.True(rendered.ToJsonString().Length <= AdaptiveCardRenderer.MaxInlineCardLength, $"{rendered.ToJsonString().Length} characters");
        var body = rendered["body"]!.AsArray();
        Assert.Equal("IT-12 · VPN drops", (string?)body[0]!["text"]);
        var text = (string)body[1]!["text"]!;
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.StartsWith("ERROR 0x80070005", text, StringComparison.Ordinal);
        Assert.InRange(text.Length, 1000, log.Length - 1);
        var facts = body.Single(e => (string?)e!["type"] == "FactSet")!["facts"]!.AsArray();
        Assert.Equal("New", (string?)facts[0]!["value"]);
        Assert.EndsWith("…", (string)facts[1]!["value"]!, StringComparison.Ordinal);
        Assert.Equal("Opened in Teams", (string?)body.Single(e => e!["isSubtle"]?.GetValue<bool>() == true)!["text"]);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var emoji = string.Concat(Enumerable.Repeat("🔥", 20_000));

        var text = (string)AdaptiveCardRenderer.Render(new Card { Title = "t", Text = emoji })["body"]![1]!["text"]!;

        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.Equal(0, (text.Length - 1) % 2);
        Assert.True(text[..^1].EnumerateRunes().All(r => r.Value == 0x1F525));
    }
}
