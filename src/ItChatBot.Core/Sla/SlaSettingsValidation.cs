using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Sla;

/// <summary>
/// Checks each team's calendar and SLA targets (DESIGN §6 <c>SupportTeams:NAME:TimeZone|BusinessHours|Sla</c>) when the
/// settings are read, so that a bad value stops the service at start naming the setting. Unchecked, a misspelt time
/// zone or day failed every ticket's SLA line and every monitor pass later on, a negative target breached every ticket
/// the moment it was created, a target under an unknown priority name applied to no ticket at all, and an
/// <c>EscalateOnBreach</c> that names no tier above L1 would escalate nothing.
/// </summary>
public sealed class SlaSettingsValidation : IValidateOptions<SupportTeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, SupportTeamsOptions options)
    {
        var failures = new List<string>();
        foreach (var (team, settings) in options)
        {
            failures.AddRange(Problems(team, settings));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(string team, SupportTeam settings)
    {
        var prefix = $"SupportTeams:{team}";
        var zone = Problem(() => BusinessCalendar.FindZone(settings.TimeZone));
        if (zone is not null)
        {
            yield return $"{prefix}:TimeZone: {zone}";
        }
        else if (Problem(() => BusinessCalendar.For(settings)) is { } hours)
        {
            yield return $"{prefix}:BusinessHours: {hours}";
        }

        foreach (var (priority, target) in settings.Sla ?? [])
        {
            if (!Priority.IsValid(priority.Trim().ToUpperInvariant()))
            {
                yield return $"{prefix}:Sla:{priority}: '{priority}' is not a priority; use {string.Join(", ", Priority.All)}.";
            }

            if (target?.FirstResponse is { } response && response < TimeSpan.Zero)
            {
                yield return $"{prefix}:Sla:{priority}:FirstResponse is negative ({response}); give the business time allowed, e.g. 00:15:00.";
            }

            if (target?.Resolution is { } resolution && resolution < TimeSpan.Zero)
            {
                yield return $"{prefix}:Sla:{priority}:Resolution is negative ({resolution}); give the business time allowed, e.g. 04:00:00.";
            }

            if (EscalationProblem(target) is { } escalation)
            {
                yield return $"{prefix}:Sla:{priority}:EscalateOnBreach: {escalation}";
            }
        }
    }

    /// <summary>
    /// An escalation on breach names a tier above L1 (every ticket starts at L1, so L1 would never escalate one) and needs a
    /// resolution target to be breached. Passing a ticket to another team stays an agent's decision (<c>/it escalate KEY TEAM</c>).
    /// </summary>
    private static string? EscalationProblem(SlaTarget? target)
    {
        if (string.IsNullOrWhiteSpace(target?.EscalateOnBreach))
        {
            return null;
        }

        var wanted = target.EscalateOnBreach.Trim();
        var above = Tiers.All.Skip(1).ToList();
        if (Tiers.Rank(Tiers.Named(wanted)) < 1)
        {
            return $"'{wanted}' is not a tier to escalate to; use {string.Join(" or ", above)}.";
        }

        return target.Resolution is { } resolution && resolution > TimeSpan.Zero
            ? null
            : "there is no Resolution target to breach; set one (e.g. 04:00:00) or remove EscalateOnBreach.";
    }

    private static string? Problem(Action check)
    {
        try
        {
            check();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
