using System.Text.Json;
using System.Text.RegularExpressions;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Expands <c>{{slots.application}}</c>-style placeholders from a flat dictionary of values. A placeholder with
/// no value is an error rather than an empty string, so a step never acts on a half-filled request.
/// </summary>
public static partial class Template
{
    // Inside a JSON body the value is escaped so that a name with a quote cannot break the document.
    public static string Expand(string template, IReadOnlyDictionary<string, string> values, bool json = false) =>
        Expand(template, values, json ? value => JsonEncodedText.Encode(value).ToString() : null);

    /// <param name="encode">How a value is written into the text, e.g. <see cref="Uri.EscapeDataString(string)"/> for a URL path,
    /// so that a value cannot change the text's structure (a <c>/</c>, <c>..</c> or <c>?</c> in a path).</param>
    public static string Expand(string template, IReadOnlyDictionary<string, string> values, Func<string, string>? encode) =>
        Placeholder().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (!values.TryGetValue(name, out var value))
            {
                // {{slots.duration|1d}}: the text after the bar stands in for a value this run does not have.
                value = match.Groups[2].Success ? match.Groups[2].Value.Trim()
                    : throw new TemplateException($"{{{{{name}}}}} has no value in this run.");
            }

            return encode is null ? value : encode(value);
        });

    [GeneratedRegex(@"\{\{\s*([a-zA-Z0-9_.\-]+)\s*(?:\|([^}]*))?\}\}")]
    internal static partial Regex Placeholder();
}

public sealed class TemplateException(string message) : Exception(message);
