using System.Text.Json;

namespace ItChatBot.Slack.WebApi;

/// <summary>What <c>users.info</c> tells us about a user; the e-mail needs the <c>users:read.email</c> scope.</summary>
public sealed record SlackUser(string Id, string Name, string? RealName, string? Email, bool IsBot, bool Deleted)
{
    public static SlackUser From(JsonElement user)
    {
        var profile = user.TryGetProperty("profile", out var p) ? p : default;
        return new SlackUser(
            user.GetProperty("id").GetString()!,
            Text(user, "name") ?? "",
            Text(user, "real_name") ?? (profile.ValueKind == JsonValueKind.Object ? Text(profile, "real_name") : null),
            profile.ValueKind == JsonValueKind.Object ? Text(profile, "email") : null,
            user.TryGetProperty("is_bot", out var bot) && bot.ValueKind == JsonValueKind.True,
            user.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
