namespace ItChatBot.Teams;

/// <summary>
/// The <c>Teams</c> settings (DESIGN §6). Teams is on when <see cref="AppId"/> and <see cref="AppPassword"/> are
/// set, or when <see cref="DevelopmentNoAuth"/> is true for a local client such as the Agents Playground.
/// </summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";
    public const string BotFrameworkMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string ConnectorScope = "https://api.botframework.com/.default";
    public const string GlobalServiceUrl = "https://smba.trafficmanager.net/teams/";

    /// <summary>The bot's Microsoft App ID (Entra app registration); tokens must name it as their audience.</summary>
    public string? AppId { get; set; }

    /// <summary>The app's client secret, for the client-credentials token the connector needs.</summary>
    public string? AppPassword { get; set; }

    /// <summary>Empty for a multi-tenant app (tokens from <c>botframework.com</c>); the tenant id for a single-tenant one.</summary>
    public string? TenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = BotFrameworkMetadataUrl;

    /// <summary>Defaults to <c>https://login.microsoftonline.com/{TenantId or botframework.com}/oauth2/v2.0/token</c>.</summary>
    public string? TokenEndpoint { get; set; }

    public string Issuer { get; set; } = BotFrameworkIssuer;

    /// <summary>Skip inbound JWT checks and outbound tokens: only for a local client, only on loopback, only without an app id.</summary>
    public bool DevelopmentNoAuth { get; set; }

    /// <summary>
    /// The connector for a Teams channel the bot has heard nothing from yet, such as a queue channel other than its team's
    /// General before anyone @mentions the bot there: Teams' global endpoint by default (for GCC,
    /// <c>https://smba.infra.gcc.teams.microsoft.com/teams</c>). Every conversation the bot has heard from uses the
    /// <c>serviceUrl</c> its activities came with.
    /// </summary>
    public string ServiceUrl { get; set; } = GlobalServiceUrl;

    /// <summary>The bot's display name, used in the welcome message.</summary>
    public string BotName { get; set; } = "ItChatBot";

    public bool IsEnabled => DevelopmentNoAuth || (!string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppPassword));

    public bool IsSingleTenant => !string.IsNullOrWhiteSpace(TenantId);

    public string ResolvedTokenEndpoint => !string.IsNullOrWhiteSpace(TokenEndpoint)
        ? TokenEndpoint
        : $"https://login.microsoftonline.com/{(IsSingleTenant ? TenantId : "botframework.com")}/oauth2/v2.0/token";
}
