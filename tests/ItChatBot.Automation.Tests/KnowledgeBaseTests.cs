using ItChatBot.Automation.Knowledge;
using ItChatBot.Testing;
using Microsoft.Extensions.Logging;
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
    [InlineData("I got a new phone, how do I move my authenticator", "mfa-new-phone.md")]
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
    [InlineData("I need a new laptop, mine is 5 years old")] // "new" is in the MFA article's title and keywords, but describes; "laptop" is the subject
    [InlineData("my outlook keeps asking for my password")] // the Wi-Fi article's "keeps asking for your password": its subject "password" weighs no more than "Outlook", another article's
    public void An_unrelated_question_has_no_strong_match(string question)
    {
        using var kb = Open(RepoPaths.Knowledge);

        Assert.Null(kb.BestStrongMatch(question));
    }

    [Theory]
    [InlineData("I need a new phone")] // was offered "Moving MFA to a new phone", and counted as deflected unless pressed
    [InlineData("can I get a replacement phone please?")]
    [InlineData("hi, I'd like another mouse")]
    [InlineData("could you order me a spare laptop charger")]
    public void A_message_that_only_asks_to_be_given_a_thing_is_offered_no_article(string request)
    {
        using var kb = Open(RepoPaths.Knowledge);

        Assert.True(ThingRequest.IsOnly(request));
        Assert.Null(kb.BestStrongMatch(request));
    }

    [Theory]
    [InlineData("I need a new phone set up with the authenticator app", "mfa-new-phone.md")] // more is said than the thing
    [InlineData("can I get a guest wifi password", "wifi-office.md")] // how to get what an article explains
    [InlineData("request annual leave", "annual-leave.md")]
    [InlineData("I got a new phone, how do I move my authenticator", "mfa-new-phone.md")]
    public void A_question_about_getting_or_moving_a_thing_is_still_answered(string question, string path)
    {
        using var kb = Open(RepoPaths.Knowledge);

        Assert.False(ThingRequest.IsOnly(question));
        Assert.Equal(path, kb.BestStrongMatch(question)?.Article.Path);
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
    public void Quoted_front_matter_values_name_the_team_and_category_without_their_quotes()
    {
        var article = KnowledgeArticle.Parse("leave.md", "---\nteam: \"HR\"\ncategory: 'leave'\n---\n# Parental leave\nHow to request parental leave.");

        Assert.Equal(("HR", "leave"), (article.Team, article.Category));
    }

    [Fact]
    public void Keywords_in_the_front_matter_are_read_as_a_list_and_never_shown()
    {
        var article = KnowledgeArticle.Parse("leave.md", "---\nteam: HR\nkeywords: [holiday, \"time off\", PTO]\n---\n# Annual leave\nBook it in Workday.");

        Assert.Equal("holiday, time off, PTO", article.Keywords);
        Assert.Equal("Book it in Workday.", article.Body);
    }

    [Fact]
    public void An_article_is_found_by_its_keywords_when_its_text_uses_other_words()
    {
        using var kb = Open(RepoPaths.Knowledge);

        // annual-leave.md says "holiday" and "annual leave"; "vacation" and "time off" are among its keywords only.
        Assert.DoesNotContain("vacation", kb.Find("annual-leave.md")!.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("annual-leave.md", kb.BestStrongMatch("how many vacation days do I have")?.Article.Path);
        Assert.Equal("annual-leave.md", kb.BestStrongMatch("where do I book time off")?.Article.Path);
    }

    [Fact]
    public void The_filler_of_a_question_does_not_count_against_an_article()
    {
        var articles = new[]
        {
            new KnowledgeArticle("vpn.md", "Connecting to the VPN", "Install GlobalProtect and sign in with your work email.", "IT", "vpn"),
            new KnowledgeArticle("printer.md", "Adding a printer", "Open Settings and add the printer named after your floor.", "IT", "hardware"),
        };
        using var kb = new KnowledgeBase(articles, new AutomationOptions().Knowledge, NullLogger<KnowledgeBase>.Instance);

        var hit = kb.Search("hi, how do I get the VPN please? I need it", 1).Single();

        Assert.Equal(("vpn.md", 1.0), (hit.Article.Path, hit.Coverage));
    }

    [Fact]
    public void A_word_written_two_ways_matches_either_way()
    {
        var articles = new[]
        {
            new KnowledgeArticle("wifi.md", "Office Wi-Fi", "Join the Corp network with your work e-mail.", "IT", "network"),
            new KnowledgeArticle("printer.md", "Setting up a printer", "Open Settings and add the printer named after your floor.", "IT", "hardware"),
        };
        using var kb = new KnowledgeBase(articles, new AutomationOptions().Knowledge, NullLogger<KnowledgeBase>.Instance);

        var wifi = kb.Search("wifi with my email", 1).Single();
        var setup = kb.Search("printer setup", 1).Single();

        Assert.Equal(("wifi.md", 1.0), (wifi.Article.Path, wifi.Coverage));
        Assert.Equal(("printer.md", 1.0), (setup.Article.Path, setup.Coverage));
    }

    [Fact]
    public void An_article_whose_title_and_keywords_name_none_of_the_questions_terms_is_not_offered()
    {
        using var kb = Open(RepoPaths.Knowledge);

        // wifi-office.md's text has "laptop" and "screen" (the guest password "is on the reception screen"), but it is
        // about Wi-Fi.
        var best = kb.Search("my laptop screen is flickering", 1).Single();

        Assert.Equal(("wifi-office.md", false), (best.Article.Path, best.OnSubject));
        Assert.True(best.Coverage >= new AutomationOptions().Knowledge.MinCoverage);
        Assert.Null(kb.BestStrongMatch("my laptop screen is flickering"));
    }

    [Fact]
    public void A_term_most_articles_have_weighs_less_than_one_no_article_has()
    {
        // "laptop" is in all three articles, "cracked" in none: the question is about something no article covers, though
        // half of its terms are in each.
        var articles = new[]
        {
            new KnowledgeArticle("vpn.md", "VPN", "Install the VPN client on your laptop.", "IT", "vpn"),
            new KnowledgeArticle("printer.md", "Printer", "Add the printer from your laptop.", "IT", "hardware"),
            new KnowledgeArticle("wifi.md", "Wi-Fi", "Your laptop joins Corp on its own.", "IT", "network"),
        };
        using var kb = new KnowledgeBase(articles, new AutomationOptions().Knowledge, NullLogger<KnowledgeBase>.Instance);

        var hit = kb.Search("my laptop is cracked", 1).Single();
        var idf = (int n) => Math.Log(1 + ((3 - n + 0.5) / (n + 0.5)));

        Assert.Equal(idf(3) / (idf(3) + idf(0)), hit.Coverage, 6);
        Assert.Null(kb.BestStrongMatch("my laptop is cracked"));
        Assert.Equal(1.0, kb.Search("vpn on my laptop", 1).Single().Coverage, 6);
    }

    [Fact]
    public void A_long_article_is_shortened_for_its_card_without_splitting_an_emoji()
    {
        var article = new KnowledgeArticle("a.md", "A", new string('a', 598) + "\U0001F600 and more text", "IT", "general");

        Assert.Equal(new string('a', 598) + "…", article.Summary(600));
    }

    [Fact]
    public void A_file_that_cannot_be_read_or_parsed_is_skipped_with_a_warning_and_the_others_are_offered()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("badge.md"), "# Badge printer jammed\nWhen the badge printer at reception is jammed, open the side door and pull the card out.");
        File.WriteAllText(folder.File("unclosed.md"), "---\nteam: HR\n# Parental leave\nHow to request parental leave.");
        File.WriteAllText(folder.File("empty.md"), "");
        File.CreateSymbolicLink(folder.File("moved.md"), Path.Combine(folder.Path, "no-such-article.md"));
        var logger = new ListLogger<KnowledgeBase>();

        using var kb = new KnowledgeBase(folder.Path, new AutomationOptions().Knowledge, TimeProvider.System, logger, watch: false);

        Assert.Equal(1, kb.Count);
        Assert.Equal("badge.md", kb.BestStrongMatch("badge printer jammed at reception")?.Article.Path);
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, m => m.Contains("skipped unclosed.md", StringComparison.Ordinal) && m.Contains("no closing '---'", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("skipped empty.md", StringComparison.Ordinal) && m.Contains("no text", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("skipped moved.md", StringComparison.Ordinal));
    }

    [Fact]
    public void An_articles_team_and_category_are_named_as_configured_and_an_unknown_team_is_reported()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("parental-leave.md"), "---\nteam: hr\ncategory: Leave\n---\n# Parental leave\nRequest parental leave in the HR portal.");
        File.WriteAllText(folder.File("travel.md"), "---\nteam: Travel\ncategory: booking\n---\n# Booking travel\nBook trains and flights in the travel portal.");
        var logger = new ListLogger<KnowledgeBase>();

        using var kb = new KnowledgeBase(folder.Path, new AutomationOptions().Knowledge, TimeProvider.System, logger, watch: false, new Core.Directory.SupportTeams([]));

        var leave = kb.Find("parental-leave.md")!;
        Assert.Equal(("HR", "leave"), (leave.Team, leave.Category));
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning).Message;
        Assert.Contains("travel.md names team 'Travel'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_reported_by_name_and_offers_nothing()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "knowledge");
        var logger = new ListLogger<KnowledgeBase>();

        using var kb = new KnowledgeBase(missing, new AutomationOptions().Knowledge, TimeProvider.System, logger, watch: true);

        Assert.Empty(kb.Search("how do I connect to the VPN"));
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning).Message;
        Assert.Contains(missing, warning, StringComparison.Ordinal);
        Assert.Contains("does not exist", warning, StringComparison.Ordinal);
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
