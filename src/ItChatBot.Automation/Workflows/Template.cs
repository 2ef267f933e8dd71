using System.Text.Json;
using System.Text.RegularExpressions;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Expands <c>{{slots.application}}</c>-style placeholders from a flat dictionary of values. A placeholder with
/// no value is an error rather than an empty string, so a step never acts on a half-filled request.
/// </summary>
public static partial class Template
{
    public static string Expand(string template, IReadOnlyDictionary<string, string> values, bool json = false) =>
        Placeholder().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (!values.TryGetValue(name, out var value))
            {
                throw new TemplateException($"{{{{{name}}}}} has no value in this run.");
            }

            // Inside a JSON body the value is escaped so that a name with a quote cannot break the document.
            return json ? JsonEncodedText.Encode(value).ToString() : value;
        });

    [GeneratedRegex(@"\{\{\s*([a-zA-Z0-9_.\-]+)\s*\}\}")]
    internal static partial Regex Placeholder();
}

public sealed class TemplateException(string message) : Exception(message);
