using ItChatBot.Core.Queues;
using ItChatBot.Host;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ItChatBot.Queues.Tests;

public sealed class QueueSettingsTests
{
    private static ServiceProvider Build(Action<IConfiguration>? change = null) => SampleSettings.Build(change);

    [Fact]
    public void The_sample_binds_the_queue_settings()
    {
        using var services = Build();

        var options = services.GetRequiredService<IOptions<QueueOptions>>().Value;

        Assert.Equal((TimeSpan.FromDays(7), TimeSpan.FromHours(1), TimeSpan.FromDays(1), 0.75), (options.ReopenWindow, options.SurveyDelay, options.SurveyChangeWindow, options.WarnAt));
        Assert.Equal(2, options.SurveyAlertAtOrBelow);
        Assert.Equal(TimeSpan.FromDays(7), options.AnswerWindow);
        Assert.Equal(TimeSpan.FromMinutes(15), options.FollowUpWindow);
        Assert.Equal(3, options.PriorityRules.Count);
        Assert.Equal("P1", services.GetRequiredService<PriorityRules>().Match("the wiki is down"));
    }

    [Theory]
    [InlineData("Queues:WarnAt", "1.5", "WarnAt")]
    [InlineData("Queues:ReopenWindow", "-1.00:00:00", "ReopenWindow")]
    [InlineData("Queues:AnswerWindow", "-00:00:01", "AnswerWindow")]
    [InlineData("Queues:FollowUpWindow", "-00:00:01", "FollowUpWindow")]
    [InlineData("Queues:MonitorInterval", "00:00:00", "MonitorInterval")]
    [InlineData("Queues:SlaNoticeMaxAge", "-1.00:00:00", "SlaNoticeMaxAge")]
    [InlineData("Queues:SurveyAlertAtOrBelow", "6", "SurveyAlertAtOrBelow")]
    [InlineData("Queues:SurveyAlertAtOrBelow", "-1", "SurveyAlertAtOrBelow")]
    public void Bad_queue_settings_are_refused_naming_the_setting(string key, string value, string named)
    {
        using var services = Build(c => c[key] = value);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<QueueOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_slack_and_teams_queue_channels_in_the_sample_get_no_posts()
    {
        using var app = new QueueApp(new Dictionary<string, string?>
        {
            ["SupportTeams:IT:QueueChannels:web"] = "queue-it",
            ["SupportTeams:IT:QueueChannels:slack"] = "",
        });

        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        var post = Assert.Single(await app.Get<IQueueStore>().PostsOfAsync(ticket.Key));
        Assert.Equal("web", Assert.Single(post.Messages).Channel);
    }
}
