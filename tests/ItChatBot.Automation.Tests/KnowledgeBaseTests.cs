using ItChatBot.Automation.Knowledge;
using ItChatBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace ItChatBot.Automation.Tests;

public sealed class KnowledgeBaseTests
{
    private static KnowledgeBase Open(string folder, bool watch = false) =>
        new(folder, new AutomationOptions().Knowledge, TimeProvider.System, NullLogger<KnowledgeBase>.Instance, watch);

    [Theory]
    [InlineData("how do I connect to the VPN from home", "vpn-setup.md")]
    [InlineData("my outlook mailbox is full", "outlook-mailbox-full.md")]
    [InlineData("how to add the office printer", "printer-setup.md")]
    [InlineData("I got a suspicious email, how do I report phishing", "phishing-report.md")]
    public void A_clear_question_finds_its_article_as_a_strong_match(string question, string path)
    {
        using var kb = Open(RepoPaths.Knowledge);

        var hit = kb.BestStrongMatch(question);

        Assert.NotNull(hit);
        Assert.Equal(path, hit.Article.Path);
    }

    [Theory]
    [InlineData("I need admin rights on AWS for 2 days")]
    [InlineData("the coffee machine is broken")]
    [InlineData("")]
    public void An_unrelated_question_has_no_strong_match(string question)
    {
        using var kb = Open(RepoPaths.Knowledge);

        Assert.Null(kb.BestStrongMatch(question));
    }

    [Fact]
    public void A_pasted_log_with_hundreds_of_distinct_words_is_searched_without_failing()
    {
        using var kb = Open(RepoPaths.Knowledge);
        var log = "VPN fails: " + string.Join(' ', Enumerable.Range(0, 700).Select(i => $"frame{i} at Module{i}.Method"));

        var hits = kb.Search(log);

        Assert.Null(kb.BestStrongMatch(log));
        Assert.Equal("vpn-setup.md", hits[0].Article.Path);
    }

    [Fact]
    public void Front_matter_sets_team_and_category_and_the_heading_the_title()
    {
        using var kb = Open(RepoPaths.Knowledge);

        var article = kb.Find("expenses-submit.md")!;

        Assert.Equal(("Finance", "expenses", "Submitting an expense claim"), (article.Team, article.Category, article.Title));
        Assert.DoesNotContain("**", article.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_folder_is_reindexed()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a.md"), "# Monitor flickers\nUpdate the dock firmware when the external monitor flickers.");
        using var kb = Open(folder.Path, watch: true);
        Assert.Null(kb.BestStrongMatch("badge printer jammed at reception"));
        var reloaded = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        kb.Reloaded += count => reloaded.TrySetResult(count);

        File.WriteAllText(folder.File("badge.md"), "# Badge printer jammed\nWhen the badge printer at reception is jammed, open the side door and pull the card out.");

        Assert.Equal(2, await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("badge.md", kb.BestStrongMatch("badge printer jammed at reception")?.Article.Path);
    }
}
