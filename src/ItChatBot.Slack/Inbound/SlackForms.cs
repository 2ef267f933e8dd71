using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace ItChatBot.Slack.Inbound;

/// <summary>Reads Slack's form bodies and JSON objects into flat field maps.</summary>
public static class SlackForms
{
    /// <summary>Parses <c>application/x-www-form-urlencoded</c> (<c>+</c> is a space); the last value of a repeated key wins.</summary>
    public static Dictionary<string, string> ParseForm(string body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(body.StartsWith('?') ? body : "?" + body))
        {
            fields[key] = value.ToString();
        }

        return fields;
    }

    /// <summary>The string-valued properties of a Socket Mode slash-command payload.</summary>
    public static Dictionary<string, string> FromJsonObject(JsonElement element)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            fields[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString() ?? "",
                JsonValueKind.Null => "",
                _ => property.Value.GetRawText(),
            };
        }

        return fields;
    }

    public static string? Str(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement Obj(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : default;
}
