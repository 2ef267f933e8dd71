using ItChatBot.Core.Cards;
using ItChatBot.Host.WebChat;

namespace ItChatBot.Host.Tests;

public sealed class HtmlCardRendererTests
{
    [Fact]
    public void Backticks_show_as_code_and_bold_as_strong_with_everything_else_encoded()
    {
        // The help card's "Type `/it` followed by…" showed its backticks in the web chat.
        var html = HtmlCardRenderer.Render(new Card { Title = "help", Text = "Type `/it` then *what* you need, or `<b>x</b>`; a lone ` stays" });

        Assert.Contains("Type <code>/it</code> then <strong>what</strong> you need, or <code>&lt;b&gt;x&lt;/b&gt;</code>; a lone ` stays", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
    }
}
