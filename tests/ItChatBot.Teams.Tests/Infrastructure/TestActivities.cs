using System.Text.Json;
using System.Text.Json.Nodes;

namespace ItChatBot.Teams.Tests.Infrastructure;

/// <summary>Builds activities as Teams sends them (protocols/teams.md §2), with fresh ids.</summary>
public static class TestActivities
{
    public const string BotId = "28:7f1c2b9e-3d4a-4e5f-8a6b-1c2d3e4f5a6b";
    public const string UserId = "29:1user-teams-id";
    public const string UserAad = "aad-0001";
    public const string Tenant = "tenant-0001";

    public static JsonObject Message(string serviceUrl, string text, string conversationId = "a:personal-1", string conversationType = "personal", string? id = null) => new()
    {
        ["type"] = "message",
        ["id"] = id ?? NewId(),
        ["timestamp"] = "2026-03-02T09:00:00.000Z",
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = UserId, ["name"] = "Alex Wilber", ["aadObjectId"] = UserAad },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "ItChatBot" },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = Tenant },
        ["text"] = text,
        ["textFormat"] = "plain",
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } },
    };

    public static JsonObject ChannelMention(string serviceUrl, string textAfterMention)
    {
        var activity = Message(serviceUrl, $"<at>ItChatBot</at> {textAfterMention}", "19:abc@thread.tacv2;messageid=1700000000000", "channel");
        activity["entities"] = new JsonArray
        {
            new JsonObject { ["type"] = "mention", ["text"] = "<at>ItChatBot</at>", ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "ItChatBot" } },
        };
        return activity;
    }

    public static JsonObject Execute(string serviceUrl, string verb, string value, string cardActivityId, string conversationId = "a:personal-1", string conversationType = "personal")
    {
        var activity = Message(serviceUrl, "", conversationId, conversationType);
        activity["type"] = "invoke";
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = cardActivityId;
        activity.Remove("text");
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = verb,
                ["data"] = new JsonObject { ["actionId"] = verb, ["value"] = value },
            },
            ["trigger"] = "manual",
        };
        return activity;
    }

    public static JsonObject Installed(string serviceUrl, string conversationId = "19:team@thread.tacv2")
    {
        var activity = Message(serviceUrl, "", conversationId, "channel");
        activity["type"] = "conversationUpdate";
        activity.Remove("text");
        activity["membersAdded"] = new JsonArray { new JsonObject { ["id"] = BotId } };
        return activity;
    }

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static string Json(this JsonObject activity) => activity.ToJsonString();

    public static JsonDocument Parse(string json) => JsonDocument.Parse(json);
}
