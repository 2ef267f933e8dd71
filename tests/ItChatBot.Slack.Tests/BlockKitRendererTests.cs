using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using ItChatBot.Core.Cards;
using ItChatBot.Slack.BlockKit;

namespace ItChatBot.Slack.Tests;

public sealed class BlockKitRendererTests
{
    private readonly BlockKitRenderer _renderer = new();

    [Fact]
    public void A_ticket_card_becomes_header_sections_context_divider_and_actions()
    {
        var card = new Card
        {
            Title = "IT-7: Need GitHub access",
            Text = "Thanks *Ana*, logged.",
            Fields = [new("Status", "Open"), new("Priority", "P3")],
            Context = "IT-7 · opened 2026-03-02 09:15 UTC",
            Buttons =
            [
                new("approval.approve", "Approve", "IT-7", ButtonStyle.Primary),
                new("approval.deny", "Deny", "IT-7", ButtonStyle.Danger, "Deny this request?"),
            ],
        };

        var rendered = _renderer.Render(card);

        Assert.Equal(["header", "section", "section", "context", "divider", "actions"], Types(rendered.Blocks));
        Assert.Equal("*Status*\nOpen", rendered.Blocks[2]!["fields"]![0]!["text"]!.GetValue<string>());
        var buttons = rendered.Blocks[5]!["elements"]!.AsArray();
        Assert.Equal("primary", buttons[0]!["style"]!.GetValue<string>());
        Assert.Equal("danger", buttons[1]!["style"]!.GetValue<string>());
        Assert.Null(buttons[0]!["confirm"]);
        var confirm = buttons[1]!["confirm"]!;
        Assert.Equal("Deny this request?", confirm["text"]!["text"]!.GetValue<string>());
        Assert.Equal("danger", confirm["style"]!.GetValue<string>());
        Assert.Equal("Cancel", confirm["deny"]!["text"]!.GetValue<string>());
        Assert.Contains("IT-7: Need GitHub access", rendered.Text);
    }

    [Fact]
    public void Markup_characters_are_escaped_as_slack_requires()
    {
        var rendered = _renderer.Render(new Card { Title = "T", Text = "a < b & c > d" });

        Assert.Equal("a &lt; b &amp; c &gt; d", rendered.Blocks[1]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_user_mention_from_the_request_stays_a_mention_while_special_mentions_and_links_stay_text()
    {
        var card = new Card
        {
            Title = "IT-3: give <@U0NEWHIRE1> access",
            Text = "Give <@U0NEWHIRE1> GitHub, not <!channel> or <https://x.test|this> or <@lowercase>",
            Fields = [new("For", "<@W0ENTERPRISE> & <@U0NEWHIRE1>")],
        };

        var rendered = _renderer.Render(card);

        Assert.Equal(
            "Give <@U0NEWHIRE1> GitHub, not &lt;!channel&gt; or &lt;https://x.test|this&gt; or &lt;@lowercase&gt;",
            Text(rendered.Blocks[1]!["text"]!));
        Assert.Equal("*For*\n<@W0ENTERPRISE> &amp; <@U0NEWHIRE1>", Text(rendered.Blocks[2]!["fields"]![0]!));
        // The header is plain text and the fallback is the notification: neither can carry a mention.
        Assert.Equal("IT-3: give <@U0NEWHIRE1> access", Text(rendered.Blocks[0]!["text"]!));
        Assert.StartsWith("IT-3: give &lt;@U0NEWHIRE1&gt; access", rendered.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(11)]
    public void A_long_text_is_never_cut_inside_a_mention(int offset)
    {
        var text = new string('x', offset) + string.Concat(Enumerable.Repeat("<@U12345678> ", 400));

        var body = Text(_renderer.Render(new Card { Title = "T", Text = text }).Blocks[1]!["text"]!);

        var cut = body.LastIndexOf("\n…and ", StringComparison.Ordinal);
        var kept = body[..cut];
        Assert.Matches(@"^x*(<@U12345678> ?)*$", kept);
        Assert.Equal($"\n…and {text.Length - kept.Length} more characters", body[cut..]);
        Assert.True(body.Length <= BlockKitLimits.SectionText);
    }

    [Fact]
    public void More_than_ten_fields_spread_over_several_sections()
    {
        var fields = Enumerable.Range(1, 23).Select(i => new CardField($"F{i}", $"{i}")).ToList();

        var rendered = _renderer.Render(new Card { Title = "Many", Fields = fields });

        var sections = rendered.Blocks.Where(b => b!["type"]!.GetValue<string>() == "section").ToList();
        Assert.Equal([10, 10, 3], sections.Select(s => s!["fields"]!.AsArray().Count));
    }

    [Fact]
    public void Too_many_blocks_are_folded_into_and_N_more_keeping_context_and_buttons()
    {
        var fields = Enumerable.Range(1, 80).Select(i => new CardField($"Long {i}", "x", Short: false)).ToList();

        var rendered = _renderer.Render(new Card { Title = "Huge", Fields = fields, Context = "ctx", Buttons = [new("ticket.status", "Refresh", "IT-1")] });

        Assert.Equal(BlockKitLimits.BlocksPerMessage, rendered.Blocks.Count);
        Assert.Equal("actions", Types(rendered.Blocks)[^1]);
        var context = rendered.Blocks[^3]!;
        Assert.Equal("context", context["type"]!.GetValue<string>());
        // 1 header + 80 sections; 47 fit before context, divider and actions.
        Assert.Equal("ctx · …and 34 more blocks not shown", context["elements"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Long_texts_are_cut_within_slacks_limits_and_say_how_much_was_left_out()
    {
        var card = new Card
        {
            Title = new string('T', 400),
            Text = new string('x', 5000),
            Fields = [new("Notes", new string('y', 2500))],
            Buttons = [new("ticket.status", new string('L', 120), new string('v', 2500), Confirm: new string('c', 500))],
        };

        var rendered = _renderer.Render(card);

        Assert.Equal(BlockKitLimits.HeaderText, Text(rendered.Blocks[0]!["text"]!).Length);
        var body = Text(rendered.Blocks[1]!["text"]!);
        Assert.Equal(BlockKitLimits.SectionText, body.Length);
        Assert.EndsWith("more characters", body);
        Assert.True(Text(rendered.Blocks[2]!["fields"]![0]!).Length <= BlockKitLimits.FieldText);
        var button = rendered.Blocks[^1]!["elements"]![0]!;
        Assert.Equal(BlockKitLimits.ButtonText, Text(button["text"]!).Length);
        Assert.Equal(BlockKitLimits.ButtonValue, button["value"]!.GetValue<string>().Length);
        Assert.Equal(BlockKitLimits.ConfirmText, Text(button["confirm"]!["text"]!).Length);
        Assert.True(rendered.Text.Length <= BlockKitLimits.FallbackText);
    }

    [Fact]
    public void More_than_25_buttons_keep_24_and_offer_the_rest_in_an_overflow_menu()
    {
        var buttons = Enumerable.Range(1, 30).Select(i => new CardButton("queue.claim", $"Claim IT-{i}", $"IT-{i}")).ToList();

        var rendered = _renderer.Render(new Card { Title = "Queue", Buttons = buttons });

        var elements = rendered.Blocks[^1]!["elements"]!.AsArray();
        Assert.Equal(BlockKitLimits.ActionsElements, elements.Count);
        Assert.Equal("overflow", elements[^1]!["type"]!.GetValue<string>());
        Assert.Equal("queue.claim|IT-25", elements[^1]!["options"]![0]!["value"]!.GetValue<string>());
        var ids = elements.Take(24).Select(e => e!["action_id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal("queue.claim", BlockKitRenderer.OriginalActionId(id)));
    }

    [Fact]
    public void A_long_table_is_monospaced_and_ends_with_the_number_of_rows_left_out()
    {
        var rows = Enumerable.Range(1, 500).Select(i => (IReadOnlyList<string>)[$"IT-{i}", "Open", "a subject that takes some room"]).ToList();

        var rendered = _renderer.Render(new Card { Title = "Backlog", Table = new CardTable(["key", "status", "subject"], rows) });

        var text = Text(rendered.Blocks[1]!["text"]!);
        Assert.StartsWith("```\nkey", text);
        Assert.EndsWith("```", text);
        Assert.Matches(@"…and \d+ more rows", text);
        Assert.True(text.Length <= BlockKitLimits.SectionText);
    }

    [Fact]
    public void Table_cells_are_escaped_so_a_requester_typed_subject_cannot_notify_the_channel()
    {
        List<IReadOnlyList<string>> rows = [["IT-1", "<!channel> R&D > all"]];

        var rendered = _renderer.Render(new Card { Title = "Queue", Table = new CardTable(["key", "<subject>"], rows) });

        var text = Text(rendered.Blocks[1]!["text"]!);
        Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
        // Columns are as wide as what the reader sees: "&lt;" shows as one character.
        Assert.Equal("```\nkey   &lt;subject&gt;\nIT-1  &lt;!channel&gt; R&amp;D &gt; all\n```", text);
    }

    [Fact]
    public void Escaped_table_cells_still_fit_in_one_section_and_say_how_many_rows_and_columns_were_left_out()
    {
        var rows = Enumerable.Range(1, 500).Select(i => (IReadOnlyList<string>)[$"IT-{i}", new string('&', 40)]).ToList();
        var wide = Enumerable.Range(1, 20).Select(i => $"{i:D2}{new string('<', 38)}").ToList();

        var tall = Text(_renderer.Render(new Card { Title = "Backlog", Table = new CardTable(["key", "subject"], rows) }).Blocks[1]!["text"]!);
        var broad = Text(_renderer.Render(new Card { Title = "Wide", Table = new CardTable(wide, []) }).Blocks[1]!["text"]!);

        Assert.True(tall.Length <= BlockKitLimits.SectionText, $"{tall.Length} characters");
        Assert.Matches(@"\nIT-1 +(&amp;){40}\n", tall);
        Assert.DoesNotContain("&&", tall, StringComparison.Ordinal);
        var left = int.Parse(Assert.Single(Regex.Matches(tall, @"…and (\d+) more rows")).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(500, tall.Split('\n').Count(l => l.StartsWith("IT-", StringComparison.Ordinal)) + left);
        Assert.True(broad.Length <= BlockKitLimits.SectionText, $"{broad.Length} characters");
        Assert.DoesNotContain("<", broad, StringComparison.Ordinal);
        var shownColumns = broad.Split('\n')[1].Split("  ", StringSplitOptions.RemoveEmptyEntries).Length;
        var leftColumns = int.Parse(Assert.Single(Regex.Matches(broad, @"…and (\d+) more columns not shown")).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(20, shownColumns + leftColumns);
    }

    [Fact]
    public void The_fallback_text_is_escaped_so_a_title_cannot_notify_the_channel()
    {
        var rendered = _renderer.Render(new Card { Title = "IT-1: <!here> a < b", Text = "Thanks *Ana* & co" });

        Assert.DoesNotContain("<!here>", rendered.Text, StringComparison.Ordinal);
        Assert.Equal("IT-1: &lt;!here&gt; a &lt; b\nThanks *Ana* &amp; co", rendered.Text);
    }

    [Fact]
    public void A_long_escaped_fallback_text_is_cut_between_entities_within_slacks_limit()
    {
        var rendered = _renderer.Render(new Card { Title = "IT-2", Text = new string('&', 5000) });

        Assert.True(rendered.Text.Length <= BlockKitLimits.FallbackText, $"{rendered.Text.Length} characters");
        Assert.Matches(@"^IT-2\n(&amp;)+\n…and \d+ more characters$", rendered.Text);
    }

    [Fact]
    public void Forty_buttons_show_24_offer_5_in_the_overflow_and_say_how_many_more_were_left_out()
    {
        var buttons = Enumerable.Range(1, 40).Select(i => new CardButton("queue.claim", $"Claim IT-{i}", $"IT-{i}")).ToList();

        var rendered = _renderer.Render(new Card { Title = "Queue", Buttons = buttons });

        var elements = rendered.Blocks[^1]!["elements"]!.AsArray();
        Assert.Equal(24, elements.Count(e => e!["type"]!.GetValue<string>() == "button"));
        var options = elements[^1]!["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>());
        Assert.Equal(["queue.claim|IT-25", "queue.claim|IT-26", "queue.claim|IT-27", "queue.claim|IT-28", "queue.claim|IT-29"], options);
        Assert.Equal("…and 11 more buttons not shown", ContextText(rendered));
    }

    [Fact]
    public void An_overflow_option_whose_value_would_not_fit_is_left_out_and_counted_never_cut()
    {
        var buttons = Enumerable.Range(1, 30).Select(i => new CardButton("queue.claim", $"Claim IT-{i}", $"IT-{i}")).ToList();
        buttons[25] = new CardButton("queue.claim", "Claim IT-26", "IT-26 " + new string('x', 200));

        var rendered = _renderer.Render(new Card { Title = "Queue", Context = "ctx", Buttons = buttons });

        var options = rendered.Blocks[^1]!["elements"]!.AsArray()[^1]!["options"]!.AsArray().Select(o => o!["value"]!.GetValue<string>()).ToList();
        Assert.Equal(["queue.claim|IT-25", "queue.claim|IT-27", "queue.claim|IT-28", "queue.claim|IT-29", "queue.claim|IT-30"], options);
        Assert.Equal("ctx · …and 1 more button not shown", ContextText(rendered));
    }

    [Fact]
    public void A_confirm_dialogs_text_is_plain_text_as_slack_documents_it()
    {
        var button = new CardButton("ticket.close", "Close", "IT-7", ButtonStyle.Danger, "Close IT-7 & tell <@U1>?");

        var rendered = _renderer.Render(new Card { Title = "IT-7", Buttons = [button] });

        var text = rendered.Blocks[^1]!["elements"]![0]!["confirm"]!["text"]!;
        Assert.Equal("plain_text", text["type"]!.GetValue<string>());
        // Plain text is shown as written, so it is not escaped.
        Assert.Equal("Close IT-7 & tell <@U1>?", text["text"]!.GetValue<string>());
    }

    [Fact]
    public void When_too_few_buttons_fit_an_overflow_menu_the_last_slot_is_a_button_and_the_rest_is_counted()
    {
        var buttons = Enumerable.Range(1, 26).Select(i => new CardButton("queue.claim", $"Claim IT-{i}", $"IT-{i}")).ToList();
        buttons[25] = new CardButton("queue.claim", "Claim IT-26", "IT-26 " + new string('x', 200));

        var rendered = _renderer.Render(new Card { Title = "Queue", Buttons = buttons });

        var elements = rendered.Blocks[^1]!["elements"]!.AsArray();
        Assert.Equal(BlockKitLimits.ActionsElements, elements.Count);
        Assert.All(elements, e => Assert.Equal("button", e!["type"]!.GetValue<string>()));
        Assert.Equal("IT-25", elements[^1]!["value"]!.GetValue<string>());
        Assert.Equal("…and 1 more button not shown", ContextText(rendered));
    }

    [Fact]
    public void A_relative_image_path_cannot_be_fetched_by_slack_and_becomes_a_context_line()
    {
        var absolute = _renderer.Render(new Card { Title = "Chart", Image = new("https://desk.example/charts/1.png", "MTTR trend") });
        var relative = _renderer.Render(new Card { Title = "Chart", Image = new("/charts/1.png", "MTTR trend") });

        Assert.Equal("image", absolute.Blocks[1]!["type"]!.GetValue<string>());
        Assert.Equal("MTTR trend", absolute.Blocks[1]!["alt_text"]!.GetValue<string>());
        Assert.Equal("context", relative.Blocks[1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void An_input_becomes_an_input_block_whose_value_comes_back_under_its_id()
    {
        var rendered = _renderer.Render(new Card { Title = "Approve?", Input = new("reason", "Reason", "why", Required: true) });

        var input = rendered.Blocks[1]!;
        Assert.Equal("input", input["type"]!.GetValue<string>());
        Assert.Equal("reason", input["block_id"]!.GetValue<string>());
        Assert.Equal("reason", input["element"]!["action_id"]!.GetValue<string>());
        Assert.False(input["optional"]!.GetValue<bool>());
    }

    private static string[] Types(JsonArray blocks) => [.. blocks.Select(b => b!["type"]!.GetValue<string>())];

    private static string Text(JsonNode textObject) => textObject["text"]!.GetValue<string>();

    private static string ContextText(RenderedCard rendered) =>
        Text(Assert.Single(rendered.Blocks, b => b!["type"]!.GetValue<string>() == "context")!["elements"]![0]!);

    internal static string Json(RenderedCard rendered) => rendered.Blocks.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
