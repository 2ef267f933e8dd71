using System.Text.RegularExpressions;

namespace ItChatBot.Testing;

/// <summary>Finds the automation's "Open a ticket" (after an article) and "Something else" (after "did you mean…") buttons in a card's HTML.</summary>
public static partial class AutomationButtons
{
    [GeneratedRegex("data-action-id=\"(?<action>kb\\.ticket|intent\\.other)\" data-value=\"(?<value>[^\"]*)\"")]
    public static partial Regex ForPeople();
}
