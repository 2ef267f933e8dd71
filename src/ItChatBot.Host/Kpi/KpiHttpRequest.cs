using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// Builds a <see cref="KpiRequest"/> from the API's and the CLI's parameters: <c>from</c>/<c>to</c> (ISO 8601
/// instants or dates) or a chat-style <c>period</c>; without either, the last 30 days.
/// </summary>
public static class KpiParameters
{
    public static KpiRequest Build(string metric, string? team, string? from, string? to, string? period, string? by, string? tech, DateTimeOffset now, SupportTeams teams)
    {
        // Periods that end now end on a whole second: the engine counts in milliseconds and gives the previous period's
        // bounds so, and a from/to to the tick (2026-03-02T09:00:00.1234567) would not meet the previous period's to. The
        // next whole second, not the last: rounded down, a period ending now left out what happened earlier in the same
        // second (a ticket opened just before the question counted nowhere until the second was over).
        var whole = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        now = whole < now ? whole.AddSeconds(1) : whole;
        DateTimeOffset f, t;
        var kind = KpiPeriodKind.Span;
        if (!string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to))
        {
            if (!string.IsNullOrWhiteSpace(period))
            {
                throw new Core.Conversations.UsageException("Give either from/to or period, not both.", KpiArguments.Usage);
            }

            f = string.IsNullOrWhiteSpace(from) ? throw new Core.Conversations.UsageException("to needs a from.", KpiArguments.Usage) : KpiPeriod.Instant(from, "from");
            t = string.IsNullOrWhiteSpace(to) ? now : KpiPeriod.Instant(to, "to");
        }
        else
        {
            (f, t, kind) = KpiPeriod.Parse(period, now);
        }

        return KpiArguments.Build(metric, team, f, t, by, tech, teams, kind);
    }
}
