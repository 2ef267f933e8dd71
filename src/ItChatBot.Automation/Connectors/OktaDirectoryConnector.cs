using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Directory;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// Okta over HTTP (<c>/api/v1</c>) with an API token (<c>Authorization: SSWS …</c>): users by id or login,
/// the manager from <c>profile.managerId</c>, <c>lifecycle/reset_password</c> with Okta's e-mail, group
/// membership by group name.
/// </summary>
public sealed class OktaDirectoryConnector(IHttpClientFactory clients, IOptions<AutomationOptions> options) : IDirectoryConnector
{
    public const string ClientName = "automation-okta";

    public string Name => "okta";

    public async Task<DirectoryUser?> FindUserAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        var json = await GetAsync<JsonObject>($"api/v1/users/{Uri.EscapeDataString(idOrEmail)}", cancellationToken);
        if (json is null && idOrEmail.Contains('@', StringComparison.Ordinal))
        {
            // /users/{key} takes an id or a login; where the login is not the person's e-mail, find them by profile.email
            // (a search string in double quotes, a quote or backslash in it escaped).
            var escaped = idOrEmail.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            var found = await GetAsync<JsonArray>($"api/v1/users?search={Uri.EscapeDataString($"profile.email eq \"{escaped}\"")}", cancellationToken);
            json = found?.FirstOrDefault()?.AsObject();
        }

        return json is null ? null : ToUser(json);
    }

    public async Task<DirectoryUser?> GetManagerAsync(string userId, CancellationToken cancellationToken = default) =>
        (await FindUserAsync(userId, cancellationToken))?.ManagerId is { Length: > 0 } manager ? await FindUserAsync(manager, cancellationToken) : null;

    public async Task<PasswordReset> ResetPasswordAsync(string userId, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/v1/users/{Uri.EscapeDataString(userId)}/lifecycle/reset_password?sendEmail=true", idempotencyKey, cancellationToken);
        await GraphDirectoryConnector.EnsureAsync(response, cancellationToken);
        return new PasswordReset("Okta e-mailed you a password reset link; it works once.", MustChangeAtNextLogin: true);
    }

    public async Task AddToGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var groupId = await GroupIdAsync(group, cancellationToken);
        using var response = await SendAsync(HttpMethod.Put, $"api/v1/groups/{groupId}/users/{Uri.EscapeDataString(userId)}", idempotencyKey, cancellationToken);
        await GraphDirectoryConnector.EnsureAsync(response, cancellationToken);
    }

    public async Task RemoveFromGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var groupId = await GroupIdAsync(group, cancellationToken);
        using var response = await SendAsync(HttpMethod.Delete, $"api/v1/groups/{groupId}/users/{Uri.EscapeDataString(userId)}", idempotencyKey, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await GraphDirectoryConnector.EnsureAsync(response, cancellationToken);
        }
    }

    public async Task<bool> IsMemberAsync(string userId, string group, CancellationToken cancellationToken = default) =>
        await FindInPagesAsync($"api/v1/users/{Uri.EscapeDataString(userId)}/groups", g => IsNamed(g, group), cancellationToken) is not null;

    private async Task<string> GroupIdAsync(string group, CancellationToken cancellationToken) =>
        (await FindInPagesAsync($"api/v1/groups?q={Uri.EscapeDataString(group)}", g => IsNamed(g, group), cancellationToken))?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"Okta has no group named '{group}'.");

    private static bool IsNamed(JsonNode? group, string name) => string.Equals(group?["profile"]?["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The first item of a list that matches, reading page after page: Okta lists 200 items a page at most and names the
    /// next page in a <c>Link: &lt;…&gt;; rel="next"</c> header. A next link to another host is not followed (it would get the token).
    /// </summary>
    private async Task<JsonNode?> FindInPagesAsync(string path, Func<JsonNode?, bool> match, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUri(), path);
        for (var page = 0; page < MaxPages; page++)
        {
            using var response = await SendAsync(HttpMethod.Get, url, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            await GraphDirectoryConnector.EnsureAsync(response, cancellationToken);
            var items = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken);
            if (items?.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (NextLink(response) is not { } next || !string.Equals(next.Authority, url.Authority, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            url = next;
        }

        return null;
    }

    private const int MaxPages = 100;

    private static Uri? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length > 1 && parts[0].StartsWith('<') && parts[0].EndsWith('>')
                && parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal).Equals("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
                && Uri.TryCreate(parts[0][1..^1], UriKind.Absolute, out var next))
            {
                return next;
            }
        }

        return null;
    }

    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken) where T : JsonNode
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await GraphDirectoryConnector.EnsureAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(method, new Uri(BaseUri(), path), idempotencyKey, cancellationToken);

    private Uri BaseUri()
    {
        var settings = options.Value.Okta;
        if (string.IsNullOrWhiteSpace(settings.BaseUrl) || string.IsNullOrWhiteSpace(settings.ApiToken))
        {
            throw new InvalidOperationException("Okta needs Automation:Okta:BaseUrl and Automation:Okta:ApiToken.");
        }

        return new Uri(settings.BaseUrl.TrimEnd('/') + "/");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var settings = options.Value.Okta;
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("SSWS", settings.ApiToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
    }

    private static DirectoryUser ToUser(JsonObject json)
    {
        var profile = json["profile"];
        var name = string.Join(' ', new[] { profile?["firstName"]?.GetValue<string>(), profile?["lastName"]?.GetValue<string>() }.Where(s => !string.IsNullOrEmpty(s)));
        return new DirectoryUser(
            json["id"]?.GetValue<string>() ?? "",
            profile?["email"]?.GetValue<string>() ?? profile?["login"]?.GetValue<string>() ?? "",
            name,
            profile?["managerId"]?.GetValue<string>());
    }
}
