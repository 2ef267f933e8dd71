using System.Text.RegularExpressions;

namespace ItChatBot.Automation.Knowledge;

/// <summary>
/// A message that only asks to be given a thing: "I need a new phone", "can I get a second monitor please", "order me a
/// replacement charger". It is a request for the team, not a question: a help article cannot hand over a phone, and one
/// whose subject is that thing answers another question ("Moving MFA to a new phone" was offered to "I need a new
/// phone", which then counted as deflected unless the person pressed for help).
/// </summary>
/// <remarks>
/// Only the whole message: a question about the thing ("I got a new phone, how do I move MFA", "how do I request a day
/// off") or more said about it ("I need a new phone set up with the authenticator") is searched as before. What is asked
/// for is a new, replacement, spare or second one (or another), in at most three words: "can I get a guest wifi
/// password" and "request annual leave" ask how to get something an article explains, and stay questions.
/// </remarks>
public static partial class ThingRequest
{
    public static bool IsOnly(string text) => Pattern().IsMatch(text.Trim());

    [GeneratedRegex(
        @"^(?:(?:hi|hello|hey)\b[\s,!.]*)?(?:please\s+)?"
        + @"(?:i\s+(?:really\s+)?(?:need|want|would\s+like|'d\s+like|’d\s+like)|i'd\s+like|can\s+i\s+(?:get|have)|could\s+i\s+(?:get|have)|may\s+i\s+(?:get|have)"
        + @"|(?:can|could)\s+(?:you|someone)\s+(?:order|get|send)\s+me|(?:order|get|send)\s+me)"
        + @"\s+(?:(?:a|an)\s+(?:new|replacement|spare|second|bigger|larger|different|working)|another|one\s+more)"
        + @"(?:\s+[\p{L}\p{N}-]+){1,3}(?:[\s,]+please)?[\s.!?]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
