using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ItChatBot.Core.Directory;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Connectors;

/// <summary>
/// Microsoft Graph (Entra ID) over HTTP: <c>/v1.0/users</c>, <c>/manager</c>, group members by <c>$ref</c>,
/// <c>checkMemberGroups</c>, and a password reset that sets a random password which must be changed at next
/// sign-in (the person then uses self-service reset). Auth: a fixed token, or client credentials.
/// </summary>
public sealed class GraphDirectoryConnector(IHttpClientFactory clients, IOptions<AutomationOptions> options, TimeProvider clock) : IDirectoryConnector
{
    public const string ClientName = "automation-graph";
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private string? _token;
    private DateTimeOffset _tokenExpires;

    public string Name => "graph";

    private GraphSettings Settings => options.Value.Graph;

    public async Task<DirectoryUser?> FindUserAsync(string idOrEmail, CancellationToken cancellationToken = default)
    {
        var json = await GetAsync($"v1.0/users/{Uri.EscapeDataString(idOrEmail)}?{Select}", cancellationToken);
        if (json is null && idOrEmail.Contains('@', StringComparison.Ordinal))
        {
            // /users/{key} takes an id or a userPrincipalName; a person's e-mail often differs from their UPN (a renamed
            // person, a second domain), so an address that is no UPN is looked up by mail.
            var found = await GetAsync($"v1.0/users?$filter={Uri.EscapeDataString($"mail eq {Quoted(idOrEmail)}")}&{Select}", cancellationToken);
            json = found?["value"]?.AsArray().FirstOrDefault()?.AsObject();
        }

        return json is null ? null : ToUser(json);
    }

    public async Task<DirectoryUser?> GetManagerAsync(string userId, CancellationToken cancellationToken = default)
    {
        var json = await GetAsync($"v1.0/users/{Uri.EscapeDataString(userId)}/manager?{Select}", cancellationToken);
        if (json is null && userId.Contains('@', StringComparison.Ordinal) && await FindUserAsync(userId, cancellationToken) is { Id.Length: > 0 } user)
        {
            json = await GetAsync($"v1.0/users/{Uri.EscapeDataString(user.Id)}/manager?{Select}", cancellationToken);
        }

        return json is null ? null : ToUser(json);
    }

    private const string Select = "$select=id,mail,userPrincipalName,displayName";

    /// <summary>A string literal for <c>$filter</c>: in single quotes, a quote inside doubled (O'Brien → 'O''Brien').</summary>
    private static string Quoted(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    public async Task<PasswordReset> ResetPasswordAsync(string userId, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["passwordProfile"] = new JsonObject
            {
                ["forceChangePasswordNextSignIn"] = true,
                ["password"] = RandomPassword(),
            },
        };
        using var response = await SendAsync(HttpMethod.Patch, $"v1.0/users/{Uri.EscapeDataString(userId)}", body, idempotencyKey, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return new PasswordReset("Your old password no longer works. Set a new one at https://aka.ms/sspr with your work account.", MustChangeAtNextLogin: true);
    }

    public async Task AddToGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var groupId = await GroupIdAsync(group, cancellationToken);
        var body = new JsonObject { ["@odata.id"] = $"{BaseUrl()}v1.0/directoryObjects/{userId}" };
        using var response = await SendAsync(HttpMethod.Post, $"v1.0/groups/{groupId}/members/$ref", body, idempotencyKey, cancellationToken);
        // Graph answers 400 "One or more added object references already exist" for a member already there: that is success here.
        if (response.StatusCode == HttpStatusCode.BadRequest && (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("already exist", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        await EnsureAsync(response, cancellationToken);
    }

    public async Task RemoveFromGroupAsync(string userId, string group, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var groupId = await GroupIdAsync(group, cancellationToken);
        using var response = await SendAsync(HttpMethod.Delete, $"v1.0/groups/{groupId}/members/{Uri.EscapeDataString(userId)}/$ref", null, idempotencyKey, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        await EnsureAsync(response, cancellationToken);
    }

    public async Task<bool> IsMemberAsync(string userId, string group, CancellationToken cancellationToken = default)
    {
        var groupId = await GroupIdAsync(group, cancellationToken);
        var body = new JsonObject { ["groupIds"] = new JsonArray(groupId) };
        using var response = await SendAsync(HttpMethod.Post, $"v1.0/users/{Uri.EscapeDataString(userId)}/checkMemberGroups", body, null, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return json?["value"]?.AsArray().Any(v => v?.GetValue<string>() == groupId) == true;
    }

    /// <summary>
    /// <c>checkMemberGroups</c> is transitive: someone in a group nested inside this one counts as a member, and a grant that
    /// took that for standing would keep the direct membership it adds for good (also after they leave the nested group).
    /// The user's <c>memberOf</c> lists direct memberships only; filtering it by id is an advanced query
    /// (<c>ConsistencyLevel: eventual</c> with <c>$count</c>).
    /// </summary>
    public async Task<bool> IsDirectMemberAsync(string userId, string group, CancellationToken cancellationToken = default)
    {
        var groupId = await GroupIdAsync(group, cancellationToken);
        var filter = Uri.EscapeDataString($"id in ({Quoted(groupId)})");
        using var response = await SendAsync(
            HttpMethod.Get, $"v1.0/users/{Uri.EscapeDataString(userId)}/memberOf?$filter={filter}&$count=true&$select=id", null, null, cancellationToken, eventualConsistency: true);
        await EnsureAsync(response, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return json?["value"]?.AsArray().Any(v => v?["id"]?.GetValue<string>() == groupId) == true;
    }

    private async Task<string> GroupIdAsync(string group, CancellationToken cancellationToken)
    {
        var filter = Uri.EscapeDataString($"displayName eq {Quoted(group)}");
        var json = await GetAsync($"v1.0/groups?$filter={filter}&$select=id,displayName", cancellationToken);
        return json?["value"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"Graph has no group named '{group}'.");
    }

    private async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, JsonNode? body, string? idempotencyKey, CancellationToken cancellationToken, bool eventualConsistency = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(BaseUrl()), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        if (eventualConsistency)
        {
            request.Headers.Add("ConsistencyLevel", "eventual");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
    }

    private string BaseUrl() => Settings.BaseUrl.TrimEnd('/') + "/";

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (Settings.AccessToken is { Length: > 0 } fixedToken)
        {
            return fixedToken;
        }

        if (Settings.TokenEndpoint is not { Length: > 0 } endpoint || Settings.ClientId is null || Settings.ClientSecret is null)
        {
            throw new InvalidOperationException("Graph needs Automation:Graph:AccessToken, or TokenEndpoint, ClientId and ClientSecret.");
        }

        await _tokenLock.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && clock.GetUtcNow() < _tokenExpires)
            {
                return _token;
            }

            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = Settings.ClientId,
                ["client_secret"] = Settings.ClientSecret,
                ["scope"] = Settings.Scope,
            });
            using var response = await clients.CreateClient(ClientName).PostAsync(new Uri(endpoint), form, cancellationToken);
            await EnsureAsync(response, cancellationToken);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            _token = json.RootElement.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("The token answer has no access_token.");
            var lifetime = json.RootElement.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 3600;
            _tokenExpires = clock.GetUtcNow().AddSeconds(Math.Max(lifetime - 300, 30));
            return _token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private static DirectoryUser ToUser(JsonObject json) => new(
        json["id"]?.GetValue<string>() ?? "",
        json["mail"]?.GetValue<string>() ?? json["userPrincipalName"]?.GetValue<string>() ?? "",
        json["displayName"]?.GetValue<string>() ?? "",
        null);

    internal static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await RemoteCallException.FromAsync(response, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}", cancellationToken);
        }
    }

    private static string RandomPassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%";
        return string.Concat("Aa1!", RandomNumberGenerator.GetString(alphabet, 20));
    }
}
