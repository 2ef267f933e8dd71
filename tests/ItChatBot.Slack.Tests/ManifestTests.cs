using System.Text.Json;
using System.Text.Json.Nodes;
using ItChatBot.Slack.Inbound;
using ItChatBot.Testing;
using NJsonSchema;
using YamlDotNet.Serialization;

namespace ItChatBot.Slack.Tests;

/// <summary>manifests/slack/manifest.yaml is valid against Slack's manifest schema and matches what the code serves.</summary>
public sealed class ManifestTests
{
    private static readonly string Root = RepositoryRoot.Path;
    private static readonly string SchemaPath = Path.Combine(RepositoryRoot.Shared, "protocols", "schemas", "slack-manifest-v1.schema.json");

    [Fact]
    public async Task The_manifest_is_valid_against_slacks_manifest_schema()
    {
        var schema = await JsonSchema.FromFileAsync(SchemaPath);

        var errors = schema.Validate(ManifestJson().ToJsonString());

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Fact]
    public async Task The_schema_check_would_catch_a_broken_manifest()
    {
        var schema = await JsonSchema.FromFileAsync(SchemaPath);
        var broken = ManifestJson();
        broken["features"]!["slash_commands"]![0]!.AsObject().Remove("description");
        broken["settings"]!["not_a_setting"] = true;

        Assert.True(schema.Validate(broken.ToJsonString()).Count >= 2);
    }

    [Fact]
    public void The_manifest_declares_exactly_the_commands_and_endpoints_the_host_serves()
    {
        var manifest = ManifestJson();

        var commands = manifest["features"]!["slash_commands"]!.AsArray().Select(c => c!["command"]!.GetValue<string>()).ToHashSet();
        Assert.True(commands.SetEquals(SlackEndpoints.Commands));
        Assert.All(manifest["features"]!["slash_commands"]!.AsArray(), c => Assert.EndsWith("/slack/commands", c!["url"]!.GetValue<string>()));
        Assert.All(manifest["features"]!["slash_commands"]!.AsArray(), c => Assert.False(string.IsNullOrEmpty(c!["usage_hint"]?.GetValue<string>())));
        Assert.EndsWith("/slack/events", manifest["settings"]!["event_subscriptions"]!["request_url"]!.GetValue<string>());
        Assert.EndsWith("/slack/interactivity", manifest["settings"]!["interactivity"]!["request_url"]!.GetValue<string>());
        Assert.Contains("message.im", manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("app_mention", manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public void The_manifest_asks_for_the_scopes_the_adapter_uses_and_no_more()
    {
        var scopes = ManifestJson()["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()).Order().ToArray();

        Assert.Equal(
            ["app_mentions:read", "channels:history", "chat:write", "commands", "files:write", "groups:history", "im:history", "im:write", "users:read", "users:read.email"],
            scopes);
    }

    private static JsonObject ManifestJson()
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(Path.Combine(Root, "manifests", "slack", "manifest.yaml")));
        var json = new SerializerBuilder().JsonCompatible().Build().Serialize(yaml!);
        return JsonNode.Parse(Normalise(json))!.AsObject();
    }

    /// <summary>YAML scalars come back as strings; give booleans and numbers their JSON types so the schema sees them right.</summary>
    private static string Normalise(string json)
    {
        var node = JsonNode.Parse(json)!;
        return Fix(node)!.ToJsonString();

        static JsonNode? Fix(JsonNode? n) => n switch
        {
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Fix(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(Fix)]),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "true" or "false" => JsonValue.Create(v.GetValue<string>() == "true"),
            JsonValue v when v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), out var i) => JsonValue.Create(i),
            JsonValue v => JsonValue.Create(v.GetValue<JsonElement>()),
            _ => null,
        };
    }
}
