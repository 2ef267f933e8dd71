using System.Text.Json;
using ItChatBot.Automation.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ItChatBot.Automation.Tests;

public sealed class ConnectorTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    private IHttpClientFactory Clients => _http.GetRequiredService<IHttpClientFactory>();

    private string Url => _server.Url + "/";

    private GraphDirectoryConnector Graph(GraphSettings settings) =>
        new(Clients, Options.Create(new AutomationOptions { Graph = settings }), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

    private OktaDirectoryConnector Okta() =>
        new(Clients, Options.Create(new AutomationOptions { Okta = new OktaSettings { BaseUrl = Url, ApiToken = "okta-token" } }));

    [Fact]
    public async Task Graph_looks_up_a_person_and_their_manager_with_the_bearer_token()
    {
        _server.Given(Request.Create().WithPath("/v1.0/users/erin@example.com").WithHeader("Authorization", "Bearer tok").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "u1", mail = "erin@example.com", displayName = "Erin" }));
        _server.Given(Request.Create().WithPath("/v1.0/users/u1/manager").WithHeader("Authorization", "Bearer tok").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "u9", userPrincipalName = "dave@example.com", displayName = "Dave" }));
        _server.Given(Request.Create().WithPath("/v1.0/users/nobody@example.com").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        var graph = Graph(new GraphSettings { BaseUrl = Url, AccessToken = "tok" });

        Assert.Equal(new Core.Directory.DirectoryUser("u1", "erin@example.com", "Erin", null), await graph.FindUserAsync("erin@example.com"));
        Assert.Equal("dave@example.com", (await graph.GetManagerAsync("u1"))!.Email);
        Assert.Null(await graph.FindUserAsync("nobody@example.com"));
    }

    [Fact]
    public async Task Graph_finds_a_person_whose_email_is_not_their_sign_in_name_by_mail_with_the_quote_doubled()
    {
        // Sign-in name (UPN) obrien@corp.example.com, e-mail o'brien@example.com: /users/{e-mail} is a 404.
        _server.Given(Request.Create().WithPath("/v1.0/users/o'brien@example.com").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        _server.Given(Request.Create().WithPath("/v1.0/users/o'brien@example.com/manager").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        _server.Given(Request.Create().WithPath("/v1.0/users").WithParam("$filter", "mail eq 'o''brien@example.com'").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { value = new[] { new { id = "u7", mail = "o'brien@example.com", userPrincipalName = "obrien@corp.example.com", displayName = "Pat O'Brien" } } }));
        _server.Given(Request.Create().WithPath("/v1.0/users/u7/manager").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "u9", mail = "dave@example.com", displayName = "Dave" }));
        var graph = Graph(new GraphSettings { BaseUrl = Url, AccessToken = "tok" });

        var user = await graph.FindUserAsync("o'brien@example.com");
        var manager = await graph.GetManagerAsync("o'brien@example.com");

        Assert.Equal(new Core.Directory.DirectoryUser("u7", "o'brien@example.com", "Pat O'Brien", null), user);
        Assert.Equal("u9", manager?.Id);
    }

    [Fact]
    public async Task Graph_changes_group_membership_by_reference_and_treats_repeats_as_done()
    {
        _server.Given(Request.Create().WithPath("/v1.0/groups").WithParam("$filter", "displayName eq 'app-jira-users'").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { value = new[] { new { id = "g1" } } }));
        _server.Given(Request.Create().WithPath("/v1.0/groups/g1/members/$ref").UsingPost().WithBody(new JsonPartialMatcher($$"""{"@odata.id":"{{Url}}v1.0/directoryObjects/u1"}""")))
            .InScenario("add").WillSetStateTo("member").RespondWith(Response.Create().WithStatusCode(204));
        _server.Given(Request.Create().WithPath("/v1.0/groups/g1/members/$ref").UsingPost()).InScenario("add").WhenStateIs("member")
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"error":{"message":"One or more added object references already exist for the following modified properties: 'members'."}}"""));
        _server.Given(Request.Create().WithPath("/v1.0/groups/g1/members/u1/$ref").UsingDelete()).RespondWith(Response.Create().WithStatusCode(404));
        _server.Given(Request.Create().WithPath("/v1.0/users/u1/checkMemberGroups").UsingPost().WithBody(new JsonPartialMatcher("""{"groupIds":["g1"]}""")))
            .RespondWith(Response.Create().WithBodyAsJson(new { value = new[] { "g1" } }));
        var graph = Graph(new GraphSettings { BaseUrl = Url, AccessToken = "tok" });

        await graph.AddToGroupAsync("u1", "app-jira-users", "r-IT-1-1:2");
        await graph.AddToGroupAsync("u1", "app-jira-users", "r-IT-1-1:2");
        await graph.RemoveFromGroupAsync("u1", "app-jira-users");
        Assert.True(await graph.IsMemberAsync("u1", "app-jira-users"));

        var adds = _server.LogEntries.Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path.EndsWith("$ref", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, adds.Count);
        Assert.All(adds, e => Assert.Equal("r-IT-1-1:2", e.RequestMessage.Headers!["Idempotency-Key"].Single()));
        Assert.All(_server.LogEntries, e => Assert.Equal("Bearer tok", e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Single(_server.LogEntries, e => e.RequestMessage.Method == "DELETE");
    }

    [Fact]
    public async Task Graph_fetches_a_client_credentials_token_once_and_resets_a_password()
    {
        _server.Given(Request.Create().WithPath("/tenant/oauth2/v2.0/token").UsingPost()
                .WithBody(new FormUrlEncodedMatcher(["grant_type=client_credentials", "client_id=app", "client_secret=s3cret", "scope=https://graph.microsoft.com/.default"])))
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "issued", expires_in = 3600 }));
        _server.Given(Request.Create().WithPath("/v1.0/users/u1").UsingPatch().WithHeader("Authorization", "Bearer issued")
                .WithBody(new JsonPartialMatcher("""{"passwordProfile":{"forceChangePasswordNextSignIn":true}}""")))
            .RespondWith(Response.Create().WithStatusCode(204));
        var graph = Graph(new GraphSettings { BaseUrl = Url, TokenEndpoint = $"{Url}tenant/oauth2/v2.0/token", ClientId = "app", ClientSecret = "s3cret" });

        var reset = await graph.ResetPasswordAsync("u1", "k1");
        await graph.ResetPasswordAsync("u1", "k2");

        Assert.True(reset.MustChangeAtNextLogin);
        Assert.Single(_server.LogEntries, e => e.RequestMessage.Path.EndsWith("/token", StringComparison.Ordinal));
        var patch = _server.LogEntries.First(e => e.RequestMessage.Method == "PATCH");
        var password = JsonDocument.Parse(patch.RequestMessage.Body!).RootElement.GetProperty("passwordProfile").GetProperty("password").GetString();
        Assert.True(password!.Length >= 16);
        Assert.DoesNotContain(password, reset.Delivery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_errors_name_the_call_and_the_status()
    {
        _server.Given(Request.Create().WithPath("/v1.0/users/u1").UsingPatch()).RespondWith(Response.Create().WithStatusCode(403).WithBody("Insufficient privileges"));
        var graph = Graph(new GraphSettings { BaseUrl = Url, AccessToken = "tok" });

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => graph.ResetPasswordAsync("u1"));

        Assert.Equal("PATCH /v1.0/users/u1 answered 403: Insufficient privileges", error.Message);
    }

    [Fact]
    public async Task Okta_uses_the_SSWS_token_and_its_user_group_and_lifecycle_paths()
    {
        _server.Given(Request.Create().WithPath("/api/v1/users/erin@example.com").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "00u1", profile = new { email = "erin@example.com", firstName = "Erin", lastName = "Employee", managerId = "00u9" } }));
        _server.Given(Request.Create().WithPath("/api/v1/users/00u9").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "00u9", profile = new { email = "dave@example.com", firstName = "Dave", lastName = "Manager" } }));
        _server.Given(Request.Create().WithPath("/api/v1/users/00u1/lifecycle/reset_password").WithParam("sendEmail", "true").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { }));
        _server.Given(Request.Create().WithPath("/api/v1/groups").WithParam("q", "app-aws-admins").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new[] { new { id = "00gX", profile = new { name = "app-aws-admins-old" } }, new { id = "00g1", profile = new { name = "app-aws-admins" } } }));
        _server.Given(Request.Create().WithPath("/api/v1/groups/00g1/users/00u1").UsingPut()).RespondWith(Response.Create().WithStatusCode(204));
        _server.Given(Request.Create().WithPath("/api/v1/groups/00g1/users/00u1").UsingDelete()).RespondWith(Response.Create().WithStatusCode(204));
        _server.Given(Request.Create().WithPath("/api/v1/users/00u1/groups").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new[] { new { id = "00g1", profile = new { name = "app-aws-admins" } } }));
        var okta = Okta();

        var user = await okta.FindUserAsync("erin@example.com");
        var manager = await okta.GetManagerAsync("erin@example.com");
        var reset = await okta.ResetPasswordAsync("00u1", "r-1:0");
        await okta.AddToGroupAsync("00u1", "app-aws-admins", "r-1:1");
        var member = await okta.IsMemberAsync("00u1", "app-aws-admins");
        await okta.RemoveFromGroupAsync("00u1", "app-aws-admins", "grant:revoke");

        Assert.Equal(new Core.Directory.DirectoryUser("00u1", "erin@example.com", "Erin Employee", "00u9"), user);
        Assert.Equal("dave@example.com", manager!.Email);
        Assert.Contains("e-mailed", reset.Delivery, StringComparison.Ordinal);
        Assert.True(member);
        Assert.All(_server.LogEntries, e => Assert.Equal("SSWS okta-token", e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Single(_server.LogEntries, e => e.RequestMessage.Method == "PUT" && e.RequestMessage.Path == "/api/v1/groups/00g1/users/00u1");
        Assert.Single(_server.LogEntries, e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Path == "/api/v1/groups/00g1/users/00u1");
        Assert.Equal("r-1:0", _server.LogEntries.Single(e => e.RequestMessage.Path.EndsWith("reset_password", StringComparison.Ordinal)).RequestMessage.Headers!["Idempotency-Key"].Single());
    }

    [Fact]
    public async Task A_throttled_answer_carries_the_wait_Graph_names_in_Retry_After_and_Okta_in_X_Rate_Limit_Reset()
    {
        // The server stamps its own Date on the answer (wall-clock time), and the reset is read against that stamp.
        var sent = TimeProvider.System.GetUtcNow();
        _server.Given(Request.Create().WithPath("/v1.0/users/u1").UsingPatch())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "17").WithBody("""{"error":{"code":"TooManyRequests"}}"""));
        _server.Given(Request.Create().WithPath("/api/v1/users/00u1/lifecycle/reset_password").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429)
                .WithHeader("X-Rate-Limit-Reset", (sent + TimeSpan.FromSeconds(42)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var graph = Graph(new GraphSettings { BaseUrl = Url, AccessToken = "tok" });

        var graphError = await Assert.ThrowsAsync<RemoteCallException>(() => graph.ResetPasswordAsync("u1"));
        var oktaError = await Assert.ThrowsAsync<RemoteCallException>(() => Okta().ResetPasswordAsync("00u1"));

        Assert.Equal((System.Net.HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(17)), (graphError.StatusCode, graphError.RetryAfter));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, oktaError.StatusCode);
        Assert.InRange(oktaError.RetryAfter!.Value, TimeSpan.FromSeconds(39), TimeSpan.FromSeconds(42));
    }

    [Fact]
    public async Task Okta_reads_every_page_of_a_users_groups_to_find_a_membership()
    {
        // Okta answers 200 groups a page and names the next page in a Link header; the group sought is on page two.
        _server.Given(Request.Create().WithPath("/api/v1/users/00u1/groups").UsingGet()).AtPriority(10)
            .RespondWith(Response.Create()
                .WithHeader("Link", $"<{Url}api/v1/users/00u1/groups?limit=200>; rel=\"self\"", $"<{Url}api/v1/users/00u1/groups?after=00g200&limit=200>; rel=\"next\"")
                .WithBodyAsJson(Enumerable.Range(1, 200).Select(i => new { id = $"00g{i}", profile = new { name = $"team-{i}" } }).ToArray()));
        _server.Given(Request.Create().WithPath("/api/v1/users/00u1/groups").WithParam("after", "00g200").UsingGet()).AtPriority(1)
            .RespondWith(Response.Create().WithHeader("Link", $"<{Url}api/v1/users/00u1/groups?after=00g200&limit=200>; rel=\"self\"")
                .WithBodyAsJson(new[] { new { id = "00gS", profile = new { name = "Security" } } }));
        var okta = Okta();

        Assert.True(await okta.IsMemberAsync("00u1", "Security"));
        Assert.False(await okta.IsMemberAsync("00u1", "Finance"));

        Assert.All(_server.LogEntries, e => Assert.Equal("SSWS okta-token", e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.Equal(4, _server.LogEntries.Count());
    }

    [Fact]
    public async Task Okta_finds_a_person_whose_login_is_not_their_email_by_profile_email()
    {
        _server.Given(Request.Create().WithPath("/api/v1/users/o'brien@example.com").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        _server.Given(Request.Create().WithPath("/api/v1/users").WithParam("search", "profile.email eq \"o'brien@example.com\"").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new[] { new { id = "00u7", profile = new { login = "pobrien", email = "o'brien@example.com", firstName = "Pat", lastName = "O'Brien", managerId = "00u9" } } }));
        _server.Given(Request.Create().WithPath("/api/v1/users/00u9").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { id = "00u9", profile = new { email = "dave@example.com", firstName = "Dave" } }));
        var okta = Okta();

        var user = await okta.FindUserAsync("o'brien@example.com");
        var manager = await okta.GetManagerAsync("o'brien@example.com");

        Assert.Equal(new Core.Directory.DirectoryUser("00u7", "o'brien@example.com", "Pat O'Brien", "00u9"), user);
        Assert.Equal("dave@example.com", manager?.Email);
    }

    [Fact]
    public async Task Okta_refuses_to_run_without_its_settings()
    {
        var okta = new OktaDirectoryConnector(Clients, Options.Create(new AutomationOptions()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => okta.FindUserAsync("x"));

        Assert.Contains("Automation:Okta:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server.Stop();
        _http.Dispose();
    }
}
