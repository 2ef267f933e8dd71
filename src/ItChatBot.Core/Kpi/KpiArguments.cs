using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// DESIGN §5 <c>/kpi</c> grammar, parsed into a <see cref="KpiRequest"/>: the chat command uses it directly,
/// and the API and CLI build the same request from their parameters, so all three ask the engine the same question.
/// </summary>
public static class KpiArguments
{
    public const string Usage =
        $"/kpi <metric> [team:NAME] [period:{KpiPeriod.Forms}] [by:priority|category|team|channel|tech|outcome] [tech:@user]";

    public static KpiRequest Parse(string text, DateTimeOffset now, SupportTeams teams)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var metric = "summary";
        string? team = null, period = null, by = null, tech = null;
        var first = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var colon = word.IndexOf(':');
            if (colon < 0)
            {
                if (!first)
                {
                    throw new UsageException($"'{word}' is not understood; options are written name:value.", Usage);
                }

                metric = word.ToLowerInvariant();
                first = false;
                continue;
            }

            first = false;
            var (name, value) = (word[..colon].ToLowerInvariant(), word[(colon + 1)..]);
            if (name == "last")
            {
                // "last:30d" is how people say period:30d (the periods of that form are the last N days).
                name = "period";
            }

            if (value.Length == 0)
            {
                throw new UsageException($"{name}: needs a value.", Usage);
            }

            if (name is "team" or "period" or "by" or "tech" && !seen.Add(name))
            {
                throw new UsageException($"{name}: is given twice; give each option once.", Usage);
            }

            switch (name)
            {
                case "team": team = value; break;
                case "period": period = value; break;
                case "by": by = value; break;
                case "tech": tech = value; break;
                default: throw new UsageException($"'{name}:' is not an option; use team:, period:, by: or tech:.", Usage);
            }
        }

        var (from, to, kind) = KpiPeriod.Parse(period, now);
        return Build(metric, team, from, to, by, tech, teams, kind);
    }

    /// <summary>Validates the parts of a request; throws a <see cref="UsageException"/> naming the first wrong one.</summary>
    public static KpiRequest Build(string metric, string? team, DateTimeOffset from, DateTimeOffset to, string? by, string? tech, SupportTeams teams,
        KpiPeriodKind kind = KpiPeriodKind.Span)
    {
        var m = metric.Trim().ToLowerInvariant();
        if (!KpiRequest.Metrics.Contains(m))
        {
            throw new UsageException($"'{metric}' is not a metric; use one of {string.Join(", ", KpiRequest.Metrics)}.", Usage);
        }

        string? teamName = null;
        if (!string.IsNullOrWhiteSpace(team))
        {
            teamName = teams.Find(team.Trim())?.Name
                ?? throw new UsageException($"There is no team '{team}'; the teams are {string.Join(", ", teams.All.Select(t => t.Name))}.", Usage);
        }

        string? dimension = null;
        if (!string.IsNullOrWhiteSpace(by))
        {
            dimension = by.Trim().ToLowerInvariant();
            if (!KpiRequest.Dimensions.Contains(dimension))
            {
                throw new UsageException($"by:{by} is not a dimension; use {string.Join(", ", KpiRequest.Dimensions)}.", Usage);
            }
        }

        // Chat text has lost any NUL in the router (ChatText); the API's and the CLI's tech reach here as given, and the
        // PostgreSQL directory refuses a NUL in a lookup where the LiteDB one finds nobody: refused here alike.
        if (NulCharacter.In(tech))
        {
            throw new UsageException($"tech:{NulCharacter.Visible(tech!)} contains {NulCharacter.Name}, which no person's id holds.", Usage);
        }

        var person = string.IsNullOrWhiteSpace(tech) ? null : PersonId(tech);
        var (f, t) = KpiPeriod.Range(from, to);
        return new KpiRequest(m, teamName, f, t, dimension, person) { PeriodKind = kind };
    }

    /// <summary><c>@alice</c>, <c>&lt;@U123&gt;</c> or <c>alice</c> → <c>alice</c>/<c>U123</c>.</summary>
    public static string PersonId(string mention) => mention.Trim().Trim('<', '>').TrimStart('@').Split('|')[0];

    /// <summary>
    /// <see cref="PersonId"/>, where <c>@me</c> is the one asking: an agent's own figures (<c>/kpi mttr tech:@me</c>,
    /// <c>/kpi tech @me</c>) without knowing their id. "There is nobody called 'me'" was the answer before.
    /// </summary>
    public static string PersonId(string mention, string asker) => PersonId(mention) is var id && id.Equals("me", StringComparison.OrdinalIgnoreCase) ? asker : id;
}
