using System.Text.RegularExpressions;

namespace ItChatBot.Core.Conversations;

/// <summary>The words of a chat message as the short-message checks compare them: lower case, apostrophes dropped ("It’s" → "its").</summary>
public static partial class ChatWords
{
    public static List<string> Of(string text) =>
        [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal))];

    [GeneratedRegex(@"[\p{L}\p{N}'’]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
