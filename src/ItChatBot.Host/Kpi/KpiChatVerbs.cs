using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Kpi;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// <c>/kpi &lt;metric&gt; ...</c> in chat: one verb per metric (so <c>/kpi help</c> lists them), and the fallback for
/// <c>/kpi</c> alone (the summary) and anything else (answered with what was wrong and the correct form).
/// </summary>
public sealed class KpiMetricVerb(string metric, KpiChat chat) : ICommandVerb
{
    public string Command => "kpi";

    public string Verb => metric;

    public string Usage => $"/kpi {metric} [team:NAME] [period:{KpiPeriod.Forms}] [by:priority|category|team|channel|tech|outcome] [tech:@user]";

    public string Summary => $"{KpiCards.Names.GetValueOrDefault(metric, metric)}, with the previous period beside it.";

    /// <summary>Leads (their teams' figures) and agents (their own, with <c>tech:@me</c>).</summary>
    public IReadOnlyList<string> Audience => [Roles.Lead, Roles.Agent];

    public Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken) =>
        chat.AnswerAsync(turn, $"{metric} {arguments}", cancellationToken);
}

public sealed class KpiFallback(KpiChat chat) : ICommandFallback
{
    public string Command => "kpi";

    public Task HandleAsync(Turn turn, string text, CancellationToken cancellationToken) =>
        chat.AnswerAsync(turn, string.IsNullOrWhiteSpace(text) ? "summary" : text, cancellationToken);
}

/// <summary>
/// The chat door: parse, check the role, ask the engine, answer with the card and its chart. Per-technician figures
/// (<c>tech:@user</c>, <c>by:tech</c>) follow the technician view's rule and are answered privately, as <c>/kpi tech</c> is.
/// </summary>
public sealed class KpiChat(KpiEngine engine, SupportTeams teams, KpiChartImages charts, IDirectory directory)
{
    public async Task AnswerAsync(Turn turn, string text, CancellationToken cancellationToken)
    {
        var request = KpiArguments.Parse(text, turn.Now, teams);
        if (request.Tech is { } named)
        {
            request = request with { Tech = KpiArguments.PersonId(named, turn.Person.Id) };
        }

        if (request.Metric == "tech")
        {
            throw new UsageException("The technician view names a person.", "/kpi tech @user [period:...]");
        }

        if (request.Tech is null && request.By != "tech")
        {
            KpiAccess.RequireLead(turn.Person);
            var result = await engine.ComputeAsync(request, cancellationToken);
            turn.Reply(KpiCards.Metric(result, ZoneOf(request.Team), await charts.ForAsync(request, cancellationToken), await directory.NamesAsync(KpiCards.PeopleIn(result), cancellationToken)));
            return;
        }

        var technician = request.Tech is { } id ? await directory.FindAsync(id, cancellationToken) : null;
        if (KpiAccess.WhyNotPerTechnician(turn.Person, request, technician) is { } refusal)
        {
            turn.ReplyEphemeral(new Core.Cards.Card { Title = "Per-technician figures refused", Text = refusal, Context = $"Use: {KpiArguments.Usage}" });
            return;
        }

        var perTechnician = await engine.ComputeAsync(request, cancellationToken);
        turn.ReplyEphemeral(KpiCards.Metric(perTechnician, ZoneOf(request.Team), await charts.ForAsync(request, cancellationToken), await directory.NamesAsync(KpiCards.PeopleIn(perTechnician), cancellationToken)));
    }

    public TimeZoneInfo ZoneOf(string? team) =>
        teams.ZoneOf(team);
}
