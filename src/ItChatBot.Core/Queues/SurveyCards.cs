using System.Globalization;
using ItChatBot.Core.Cards;

namespace ItChatBot.Core.Queues;

/// <summary>The CSAT survey in the requester's thread: five buttons, one per score.</summary>
public static class SurveyCards
{
    public const string Answer = "survey.answer";

    public static Card Ask(string ticket, string resolutionEventId) => new()
    {
        Title = $"How did we do on {ticket}?",
        Text = "Rate the help you got, from 1 (poor) to 5 (great).",
        Context = "One answer per resolution; you can change it for 24 hours.",
        Buttons = [.. Enumerable.Range(1, 5).Select(score => new CardButton(
            Answer, score.ToString(CultureInfo.InvariantCulture), Value(ticket, resolutionEventId, score), score >= 4 ? ButtonStyle.Primary : ButtonStyle.Default))],
    };

    public static Card Answered(string ticket, string resolutionEventId, int score, DateTimeOffset changeableUntil) => Ask(ticket, resolutionEventId) with
    {
        Text = $"Thank you: you rated {ticket} *{score}* out of 5.",
        Context = $"You can change your answer until {changeableUntil:yyyy-MM-dd HH:mm} UTC.",
    };

    public static string Value(string ticket, string resolutionEventId, int score) =>
        string.Create(CultureInfo.InvariantCulture, $"{ticket} {resolutionEventId} {score}");

    public static bool TryParse(string value, out string ticket, out string resolutionEventId, out int score)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        ticket = parts.Length == 3 ? parts[0] : "";
        resolutionEventId = parts.Length == 3 ? parts[1] : "";
        score = 0;
        return parts.Length == 3 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out score);
    }
}
