using System.Text.RegularExpressions;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// A message that asks what waits for the sender's approval rather than making a request: "what do I need to approve?",
/// "any approvals for me", "my approvals", "is anything waiting for my approval". Before, each opened a ticket named
/// after it; the answer is <c>/it approvals</c> (<see cref="WaitingApprovalsVerb"/>).
/// </summary>
/// <remarks>
/// Read narrowly, as <see cref="Conversations.StatusQuestion"/> is: a request for an approval ("I need approval for
/// Figma"), a question about one's own request ("who needs to approve my request?", "my approval request is stuck"), or
/// a message naming a ticket is not this question.
/// </remarks>
public static partial class ApprovalsQuestion
{
    /// <summary>Longer messages say more than "what is waiting for me".</summary>
    private const int MaxWords = 12;

    public static bool IsAsked(string text) =>
        WordPattern().Matches(text).Count is > 0 and <= MaxWords
        && !KeyPattern().IsMatch(text)
        && AskedPattern().IsMatch(text);

    [GeneratedRegex(@"\b" + TicketKey.Pattern + @"\b", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"[\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(
        // "what do I need to approve", "anything I should approve", "anything for me to approve", "what's there for me to approve"
        @"\b(what|anything|something|things?|stuff)\b[\w\s']{0,25}?\b(i|for\s+me)\s+(need\s+to|have\s+to|must|should|to)\s+approve\b"
        + @"|\b(what\s+(do|should|must)\s+i|anything\s+(for\s+me\s+)?to|nothing\s+to)\s+approve\b"
        // "any approvals for me", "pending approvals for me", "approvals waiting for me"
        + @"|\bapprovals?(\s+requests?)?\s+((waiting|pending)\s+)?(for|on)\s+me\b"
        // "is anything waiting for my approval", "what needs my approval", "what's pending my sign-off"
        + @"|\b(waiting|pending|needs?|awaiting)\s+(for\s+|on\s+)?my\s+(approval|sign-?off|decision)\b"
        // "do I have any approvals", "have I got pending approvals"
        + @"|\b(do\s+i\s+have|have\s+i\s+got|are\s+there)\s+(any\s+)?(pending\s+|outstanding\s+|open\s+|new\s+)?approvals\b"
        // "my approvals", "pending approvals", "show me my pending approvals", "approvals?"
        + @"|^\W*((can\s+you\s+|please\s+)?(show|list|see|view|give)(\s+me)?\s+)?(all\s+)?(my\s+|the\s+)?(pending\s+|outstanding\s+|open\s+)?approvals(\s+please)?\W*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AskedPattern();
}
