using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ItChatBot.Automation.Tests;

/// <summary>A Microsoft Graph stand-in on 127.0.0.1 that answers only requests carrying the expected bearer token.</summary>
public sealed class FakeGraph : IDisposable
{
    public const string Token = "graph-test-token";

    public FakeGraph()
    {
        Server = WireMockServer.Start();
        User("erin@example.com", "u-erin", "Erin Employee");
        User("dave@example.com", "u-dave", "Dave Manager");
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url! + "/";

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Automation:Directory:Provider"] = "graph",
        ["Automation:Graph:BaseUrl"] = Url,
        ["Automation:Graph:AccessToken"] = Token,
    };

    public void User(string key, string id, string name) =>
        Server.Given(Authed(Request.Create().WithPath($"/v1.0/users/{key}").UsingGet()))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id, mail = key, displayName = name }));

    public void Group(string name, string id)
    {
        Server.Given(Authed(Request.Create().WithPath("/v1.0/groups").WithParam("$filter", $"displayName eq '{name}'").UsingGet()))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { value = new[] { new { id, displayName = name } } }));
        Server.Given(Authed(Request.Create().WithPath($"/v1.0/groups/{id}/members/$ref").UsingPost()))
            .RespondWith(Response.Create().WithStatusCode(204));
        Server.Given(Authed(Request.Create().WithPath(new RegexMatcher($"^/v1\\.0/groups/{id}/members/[^/]+/\\$ref$")).UsingDelete()))
            .RespondWith(Response.Create().WithStatusCode(204));
    }

    /// <summary>Requests that reached the server with this method and path.</summary>
    public int Count(string method, string path) =>
        Server.LogEntries.Count(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path);

    private static IRequestBuilder Authed(IRequestBuilder request) => request.WithHeader("Authorization", $"Bearer {Token}");

    public void Dispose() => Server.Stop();
}
