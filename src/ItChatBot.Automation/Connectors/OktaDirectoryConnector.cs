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

    public async Task<bool> IsMemberAsync(string userId, string group, CancellationToken cancellationToken = default)
    {
        var groups = await GetAsync<JsonArray>($"api/v1/users/{Uri.EscapeDataString(userId)}/groups", cancellationToken);
        return groups?.Any(g => string.Equals(g?["profile"]?["name"]?.GetValue<string>(), group, StringComparison.OrdinalIgnoreCase)) == true;
    }

    private async Task<string> GroupIdAsync(string group, CancellationToken cancellationToken)
    {
        var groups = await GetAsync<JsonArray>($"api/v1/groups?q={Uri.EscapeDataString(group)}", cancellationToken);
        return groups?.FirstOrDefault(g => string.Equals(g?["profile"]?["name"]?.GetValue<string>(), group, StringComparison.OrdinalIgnoreCase))?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"Okta has no group named '{group}'.");
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

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var settings = options.Value.Okta;
        if (string.IsNullOrWhiteSpace(settings.BaseUrl) || string.IsNullOrWhiteSpace(settings.ApiToken))
        {
            throw new InvalidOperationException("Okta needs Automation:Okta:BaseUrl and Automation:Okta:ApiToken.");
        }

        using var request = new HttpRequestMessage(method, new Uri(new Uri(settings.BaseUrl.TrimEnd('/') + "/"), path));
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
