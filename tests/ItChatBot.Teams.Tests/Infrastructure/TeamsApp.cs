using System.Net.Http.Headers;
using System.Text;
using ItChatBot.Testing;

namespace ItChatBot.Teams.Tests.Infrastructure;

/// <summary>The real host with Teams switched on, its Bot Framework endpoints pointing at a <see cref="BotFrameworkStandIn"/>.</summary>
public sealed class TeamsApp(BotFrameworkStandIn botFramework, IReadOnlyDictionary<string, string?>? extra = null) : ItChatBotApp(Settings(botFramework, extra))
{
    public const string AppId = "7f1c2b9e-3d4a-4e5f-8a6b-1c2d3e4f5a6b";
    public const string Issuer = "https://api.botframework.com";

    /// <summary>With the demo's people (a requester, her manager, agents) and the repository's workflows: for approvals.</summary>
    public static TeamsApp WithWorkflows(BotFrameworkStandIn botFramework) => new(botFramework, new Dictionary<string, string?>
    {
        ["Demo:SeedDirectory"] = "true",
        ["Automation:WorkflowsPath"] = Path.Combine(RepositoryRoot.Path, "workflows"),
    });

    private static Dictionary<string, string?> Settings(BotFrameworkStandIn botFramework, IReadOnlyDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = "app-secret",
            ["Teams:OpenIdMetadataUrl"] = botFramework.MetadataUrl,
            ["Teams:TokenEndpoint"] = botFramework.TokenEndpoint,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public async Task<HttpResponseMessage> PostActivityAsync(string json, string? token)
    {
        var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    /// <summary>A token as the Bot Framework would sign it right now for this bot and service URL.</summary>
    public string ValidToken(TestKey key, string serviceUrl) =>
        key.Token(Issuer, AppId, Clock.GetUtcNow().AddMinutes(-1), Clock.GetUtcNow().AddMinutes(59), serviceUrl);
}
