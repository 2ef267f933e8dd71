using System.Text.Json;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ItChatBot.Teams.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for the Bot Framework: the OpenID metadata and key set, the
/// token endpoint, and the connector under <see cref="ServiceUrl"/>. Requests it received are in <see cref="Server"/>'s log.
/// </summary>
public sealed class BotFrameworkStandIn : IDisposable
{
    public const string AccessToken = "connector-token-1";
    private int _activityNumber;

    public BotFrameworkStandIn()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().WithPath("/v1/.well-known/openidconfiguration").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(new
            {
                issuer = "https://api.botframework.com",
                jwks_uri = Url + "/v1/.well-known/keys",
                id_token_signing_alg_values_supported = new[] { "RS256" },
            })));
        Server.Given(Request.Create().WithPath("/botframework.com/oauth2/v2.0/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(new { token_type = "Bearer", expires_in = 3600, access_token = AccessToken })));
        Server.Given(Request.Create().WithPath(new WildcardMatcher("/teams/v3/conversations*")).UsingAnyMethod()).AtPriority(10)
            .RespondWith(Response.Create().WithCallback(_ => new WireMock.ResponseMessage
            {
                StatusCode = 201,
                Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsString = JsonSerializer.Serialize(new { id = $"activity-{Interlocked.Increment(ref _activityNumber)}" }),
                    DetectedBodyType = WireMock.Types.BodyType.String,
                },
            }));
    }

    public WireMockServer Server { get; }

    public string Url => Server.Urls[0];

    public string MetadataUrl => Url + "/v1/.well-known/openidconfiguration";

    public string TokenEndpoint => Url + "/botframework.com/oauth2/v2.0/token";

    /// <summary>The connector base the activities name; with a trailing path like Teams' <c>https://smba.trafficmanager.net/teams/</c>.</summary>
    public string ServiceUrl => Url + "/teams/";

    public void ServeKeys(params TestKey[] keys) =>
        Server.Given(Request.Create().WithPath("/v1/.well-known/keys").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(JsonSerializer.Serialize(new { keys = keys.Select(k => k.Jwk()).ToArray() })));

    public IReadOnlyList<WireMock.Logging.ILogEntry> ConnectorCalls() =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Path.StartsWith("/teams/v3/", StringComparison.Ordinal))];

    public int KeySetFetches() => Server.LogEntries.Count(e => e.RequestMessage.Path == "/v1/.well-known/keys");

    public void Dispose() => Server.Stop();
}
