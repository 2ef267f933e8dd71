using ItChatBot.Core.Cards;

namespace ItChatBot.Core.Approvals;

/// <summary>The "Cancel run" / "Complete by hand" buttons agents get on a ticket's queue card while a workflow runs.</summary>
public static class OverrideActions
{
    public const string Prefix = "override";
    public const string Cancel = "override.cancel";
    public const string Complete = "override.complete";

    /// <summary>The button value: the ticket and the run it was shown for, so a press after the run ended does nothing.</summary>
    public static string Value(string ticketKey, string runId) => $"{ticketKey}|{runId}";

    public static bool TryParse(string value, out string ticketKey, out string runId)
    {
        var parts = value.Split('|');
        (ticketKey, runId) = parts.Length == 2 ? (parts[0], parts[1]) : ("", "");
        return ticketKey.Length > 0 && runId.Length > 0;
    }

    /// <param name="inputId">The card's input box the reason is typed in on Teams and the web chat (Slack asks in a modal under the same id).</param>
    public static IReadOnlyList<CardButton> Buttons(string ticketKey, string runId, string inputId)
    {
        var reason = new CardInput(inputId, "Reason (required)", "why the automation is overridden", Required: true);
        return
        [
            new CardButton(Cancel, "Cancel run", Value(ticketKey, runId), ButtonStyle.Danger, Asks: reason),
            new CardButton(Complete, "Complete by hand", Value(ticketKey, runId), Asks: reason),
        ];
    }
}
