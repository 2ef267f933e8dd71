using System.Text.Json;
using ItChatBot.Core;
using ItChatBot.Core.Directory;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ItChatBot.Host;

namespace ItChatBot.Host.Tests;

/// <summary>appsettings.sample.json documents every setting; these tests keep it from rotting.</summary>
public sealed class ConfigurationSampleTests
{
    private static readonly string SamplePath = Path.Combine(RepositoryRoot.Path, "appsettings.sample.json");

    [Fact]
    public void The_sample_is_valid_json_without_comments()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SamplePath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });

        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public void The_sample_binds_to_the_settings_the_service_reads()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(SamplePath).Build();
        using var folder = new TempFolder();
        configuration["Storage:LiteDb:Path"] = folder.File("sample.db");
        var services = new ServiceCollection().AddLogging().AddItChatBotServices(configuration).BuildServiceProvider();

        var teams = services.GetRequiredService<SupportTeams>();

        Assert.Equal(["Finance", "HR", "IT", "Security"], teams.All.Select(t => t.Name).Order(StringComparer.Ordinal));
        var it = teams.Get("IT");
        Assert.Equal(("IT", "Europe/London", "queue-it"), (it.KeyPrefix, it.TimeZone, it.QueueChannels["web"]));
        Assert.Equal(TimeSpan.FromMinutes(15), it.Sla["P1"].FirstResponse);
        Assert.Equal(TimeSpan.FromHours(40), it.Sla["P4"].Resolution);
        Assert.Equal(new TimeOnly(17, 0), it.BusinessHours.End);
        Assert.Contains(new DateOnly(2026, 12, 25), it.BusinessHours.Holidays);
        Assert.True(teams.Get("SEC").BusinessHours.IsAlways);
        Assert.False(teams.Get("HR").BusinessHours.IsAlways);
        Assert.All(teams.All, t => Assert.NotNull(TimeZoneInfo.FindSystemTimeZoneById(t.TimeZone)));
        services.Dispose();
    }

    [Fact]
    public void The_automation_section_binds_to_its_options()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(SamplePath).Build();

        var automation = configuration.GetSection("Automation").Get<Automation.AutomationOptions>()!;

        Assert.Equal(("workflows", "knowledge", "embedded"), (automation.WorkflowsPath, automation.KnowledgePath, automation.Directory.Provider));
        Assert.False(automation.Llm.Enabled);
        Assert.True(automation.Classifier.AskThreshold < automation.Classifier.Threshold);
        Assert.Equal(TimeSpan.FromMinutes(5), automation.RevocationGrace);
        Assert.Contains("software", automation.Endpoints.Keys);
    }
}
