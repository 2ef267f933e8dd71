using Microsoft.Extensions.Options;

namespace ItChatBot.Teams;

/// <summary>Refuses settings that would run Teams half-configured or without auth where auth is possible.</summary>
public sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var problems = new List<string>();
        if (options.DevelopmentNoAuth && !string.IsNullOrWhiteSpace(options.AppId))
        {
            problems.Add("Teams:DevelopmentNoAuth cannot be used when Teams:AppId is set: a registered bot always checks tokens.");
        }

        if (!options.DevelopmentNoAuth && !string.IsNullOrWhiteSpace(options.AppId) && string.IsNullOrWhiteSpace(options.AppPassword))
        {
            problems.Add("Teams:AppPassword is required with Teams:AppId (the client secret for the connector token).");
        }

        if (!string.IsNullOrWhiteSpace(options.AppId) && !Guid.TryParse(options.AppId, out _))
        {
            problems.Add($"Teams:AppId must be the bot's Microsoft App ID, a GUID (got '{options.AppId}').");
        }

        foreach (var (key, url) in new[] { ("OpenIdMetadataUrl", options.OpenIdMetadataUrl), ("TokenEndpoint", options.ResolvedTokenEndpoint) })
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                problems.Add($"Teams:{key} must be an absolute URL (got '{url}').");
            }
        }

        if (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var serviceUrl) || serviceUrl.Scheme is not ("https" or "http"))
        {
            problems.Add($"Teams:ServiceUrl must be an absolute http(s) URL, the Bot Framework connector (got '{options.ServiceUrl}'; default {TeamsOptions.GlobalServiceUrl}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
