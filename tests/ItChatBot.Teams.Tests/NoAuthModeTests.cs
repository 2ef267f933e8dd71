using System.Net;
using ItChatBot.Teams.Tests.Infrastructure;
using ItChatBot.Testing;

namespace ItChatBot.Teams.Tests;

/// <summary>The development mode without inbound auth: refused with an app id, refused off loopback.</summary>
public sealed class NoAuthModeTests
{
    [Fact]
    public void No_auth_together_with_an_app_id_is_refused_at_start()
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?>
        {
            ["Teams:DevelopmentNoAuth"] = "true",
            ["Teams:AppId"] = TeamsApp.AppId,
            ["Teams:AppPassword"] = "secret",
        });

        var ex = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("DevelopmentNoAuth cannot be used when Teams:AppId is set", Flatten(ex), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_auth_on_loopback_accepts_an_activity_without_a_token()
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?> { ["Teams:DevelopmentNoAuth"] = "true" });

        var response = await app.CreateClient().PostAsync("/api/messages",
            new StringContent(TestActivities.Message("http://127.0.0.1:1/_connector", "hello").Json(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_teams_settings_there_is_no_teams_endpoint()
    {
        using var app = new ItChatBotApp();

        var response = await app.CreateClient().PostAsync("/api/messages", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(app.Services.GetService(typeof(Auth.BotFrameworkAuthenticator)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://192.168.1.10:5080", false)]
    public void Only_loopback_addresses_count_as_loopback(string address, bool loopback) =>
        Assert.Equal(loopback, TeamsNoAuthGuard.IsLoopback(address));

    private static string Flatten(Exception ex) => ex.InnerException is null ? ex.Message : ex.Message + " | " + Flatten(ex.InnerException);
}
