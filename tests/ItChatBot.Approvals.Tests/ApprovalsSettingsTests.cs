using ItChatBot.Core.Approvals;
using ItChatBot.Host;
using ItChatBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ItChatBot.Approvals.Tests;

public sealed class ApprovalsSettingsTests
{
    [Fact]
    public void The_sample_settings_bind_to_the_approval_options()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot.Path, "appsettings.sample.json")).Build();
        using var folder = new TempFolder();
        configuration["Storage:LiteDb:Path"] = folder.File("sample.db");
        using var services = new ServiceCollection().AddLogging().AddItChatBotServices(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ApprovalsOptions>>().Value;

        Assert.Equal(TimeSpan.FromHours(72), options.Expiry);
        Assert.Equal(["sarah"], options.Groups["app-owners"]);
        var delegation = Assert.Single(options.Delegations);
        Assert.Equal(("dave", "frank"), (delegation.Manager, delegation.Delegate));
        Assert.True(delegation.IsActive(new DateTimeOffset(2026, 8, 3, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(delegation.IsActive(new DateTimeOffset(2026, 8, 15, 0, 0, 0, TimeSpan.Zero)));
    }
}
