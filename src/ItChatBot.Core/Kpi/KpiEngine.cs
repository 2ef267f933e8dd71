using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// Every metric of DESIGN §4 over the <see cref="KpiIndex"/> rollups. The chat command, the API and the CLI
/// all call <see cref="ComputeAsync"/> with a <see cref="KpiRequest"/>, so they give the same numbers.
/// Each metric is a selection (which tickets or events belong to a period) and an aggregate over the
/// selection; the same pair gives the value, the segments and the previous period.
/// </summary>
public sealed partial class KpiEngine(KpiIndex index, SupportTeams teams, IOptions<KpiOptions> options, TimeProvider clock)
{
    private const double MsPerHour = 3_600_000d;
    private const long MsPerDay = 86_400_000L;

    public KpiOptions Options => options.Value;

    public KpiIndex Index => index;

    public SupportTeams Teams => teams;

    public TimeProvider Clock => clock;

    public Task<KpiResult> ComputeAsync(KpiRequest request, CancellationToken cancellationToken = default) =>
        index.QueryAsync(ix => Compute(ix, request, clock.GetUtcNow()), cancellationToken);

    /// <summary>The metric over rollups that are current (call inside <see cref="KpiIndex.QueryAsync{T}"/>).</summary>
    public KpiResult Compute(KpiIndex ix, KpiRequest r, DateTimeOffset now)
    {
        var q = new Query(ix, r, now, options.Value);
        return r.Metric switch
        {
            "summary" => Summary(q),
            "volume" => Volume(q),
            "mttr" => Mttr(q),
            "frt" => Frt(q),
            "fcr" => Fcr(q),
            "sla" => Sla(q),
            "csat" => Csat(q),
            "escalation" => Escalation(q),
            "backlog" => Backlog(q),
            "automation" => Automation(q),
            "deflection" => Deflection(q),
            "workflows" => Workflows(q),
            "approvals" => Approvals(q),
            "overrides" => Overrides(q),
            "access" => Access(q),
            "savings" => Savings(q),
            "insights" => Insights(q),
            "tech" => throw new UsageException("The technician view needs a person: /kpi tech @user.", "/kpi tech @user [period:...]"),
            _ => throw new UsageException($"'{r.Metric}' is not a metric.", KpiArguments.Usage),
        };
    }

    /// <summary>One computation's context: scope (team, technician), period bounds in unix ms, now.</summary>
    internal sealed class Query
    {
        public Query(KpiIndex ix, KpiRequest r, DateTimeOffset now, KpiOptions options)
        {
            Ix = ix;
            Request = r;
            Options = options;
            Now = now.ToUnixTimeMilliseconds();
            From = r.From.ToUnixTimeMilliseconds();
            To = r.To.ToUnixTimeMilliseconds();
            var (pf, pt) = KpiPeriod.Previous(r.From, r.To);
            PrevFrom = pf.ToUnixTimeMilliseconds();
            PrevTo = pt.ToUnixTimeMilliseconds();
            // A team or person the rollups have never seen matches nothing (-2), which is not "all" (-1).
            Team = r.Team is null ? -1 : ix.Teams.FindIgnoreCase(r.Team) is var t and >= 0 ? t : -2;
            Tech = r.Tech is null ? -1 : ix.People.FindIgnoreCase(r.Tech) is var p and >= 0 ? p : -2;
        }

        public KpiIndex Ix { get; }
        public KpiRequest Request { get; }
        public KpiOptions Options { get; }
        public long Now { get; }
        public long From { get; }
        public long To { get; }
        public long PrevFrom { get; }
        public long PrevTo { get; }
        public int Team { get; }
        public int Tech { get; }

        public bool InScope(TicketFacts t) =>
            t.Exists && (Team == -1 || t.Team == Team) && (Tech == -1 || t.Assignee == Tech);

        public bool InScope(int ticket) => ticket >= 0 && InScope(Ix.Tickets[ticket]);

        /// <summary>Tickets in scope matching <paramref name="inPeriod"/>, for the current and the previous period, in one pass.</summary>
        public (List<TicketFacts> Current, List<TicketFacts> Previous) Tickets(Func<TicketFacts, long, long, bool> inPeriod)
        {
            var current = new List<TicketFacts>();
            var previous = new List<TicketFacts>();
            foreach (var t in Ix.Tickets)
            {
                if (!InScope(t))
                {
                    continue;
                }

                if (inPeriod(t, From, To))
                {
                    current.Add(t);
                }
                else if (inPeriod(t, PrevFrom, PrevTo))
                {
                    previous.Add(t);
                }
            }

            return (current, previous);
        }

        public string KeyOf(TicketFacts t, string by) => by switch
        {
            "priority" => Ix.Priorities.Name(t.Priority),
            "category" => Ix.Categories.Name(t.Category),
            "team" => Ix.Teams.Name(t.Team),
            "channel" => t.Channel >= 0 && Ix.Channels.Name(t.Channel) is { Length: > 0 } c ? c : "(none)",
            "tech" => t.Assignee >= 0 ? Ix.People.Name(t.Assignee) : "(unassigned)",
            "outcome" => t.Outcome switch
            {
                Outcome.AiResolved => "ai-resolved",
                Outcome.AiAssisted => "ai-assisted",
                Outcome.Unassisted => "unassisted",
                _ => "open",
            },
            _ => "",
        };
    }

    internal readonly record struct Agg(double? Value, int Count, Dictionary<string, object?>? Extra = null);

    /// <summary>Assembles the DESIGN §6 result from a selection and its aggregate.</summary>
    private static KpiResult Build<T>(
        Query q, string metric, string unit,
        List<T> current, List<T> previous,
        Func<List<T>, Agg> aggregate,
        Func<T, int> ticketOf,
        string? defaultBy = null)
    {
        var now = aggregate(current);
        var before = aggregate(previous);
        var by = q.Request.By ?? defaultBy;
        var segments = new List<KpiSegment>();
        if (by is not null)
        {
            foreach (var group in current.GroupBy(item => ticketOf(item) is var i and >= 0 ? q.KeyOf(q.Ix.Tickets[i], by) : "(none)"))
            {
                var agg = aggregate(group.ToList());
                segments.Add(new KpiSegment(group.Key, Stats.Round(agg.Value), agg.Count) { Extra = agg.Extra });
            }

            segments = by is "priority" or "outcome"
                ? [.. segments.OrderBy(s => s.Key, StringComparer.Ordinal)]
                : [.. segments.OrderByDescending(s => s.Count).ThenBy(s => s.Key, StringComparer.Ordinal)];
        }

        var result = new KpiResult
        {
            Metric = metric,
            Team = q.Request.Team,
            From = q.Request.From,
            To = q.Request.To,
            Value = Stats.Round(now.Value),
            Unit = unit,
            Count = now.Count,
            Segments = segments,
            Previous = new KpiPrevious(
                DateTimeOffset.FromUnixTimeMilliseconds(q.PrevFrom), DateTimeOffset.FromUnixTimeMilliseconds(q.PrevTo),
                Stats.Round(before.Value), before.Count),
        };
        if (by is not null)
        {
            result.Extra["by"] = by;
        }

        if (q.Request.Tech is { } tech)
        {
            result.Extra["tech"] = tech;
        }

        foreach (var (key, value) in now.Extra ?? [])
        {
            result.Extra[key] = value;
        }

        return result;
    }

    private static KpiResult TicketMetric(Query q, string metric, string unit, Func<TicketFacts, long, long, bool> inPeriod, Func<List<TicketFacts>, Agg> aggregate, string? defaultBy = null)
    {
        var (current, previous) = q.Tickets(inPeriod);
        return Build(q, metric, unit, current, previous, aggregate, t => t.Index, defaultBy);
    }

    private static bool CreatedIn(TicketFacts t, long from, long to) => t.Created >= from && t.Created < to;

    private static bool ResolvedIn(TicketFacts t, long from, long to) => t.FinalResolved != TicketFacts.None && t.FinalResolved >= from && t.FinalResolved < to;

    private static double Hours(long ms) => ms / MsPerHour;

    // ---- ticket metrics -------------------------------------------------------------------------------

    private static KpiResult Volume(Query q) =>
        TicketMetric(q, "volume", "tickets", CreatedIn, list => new Agg(list.Count, list.Count));

    private static KpiResult Mttr(Query q) =>
        TicketMetric(q, "mttr", "hours", ResolvedIn, MttrAgg, defaultBy: "priority");

    internal static Agg MttrAgg(List<TicketFacts> list)
    {
        var hours = new List<double>(list.Count);
        var business = new List<double>(list.Count);
        foreach (var t in list)
        {
            hours.Add(Hours(t.FinalResolved - t.Created));
            if (!double.IsNaN(t.BusinessHoursToResolve))
            {
                business.Add(t.BusinessHoursToResolve);
            }
        }

        var mean = Stats.Mean(hours);
        return new Agg(mean, list.Count, new()
        {
            ["median"] = Stats.Round(Stats.Median(hours)),
            ["p90"] = Stats.Round(Stats.Percentile(hours, 0.9)),
            ["businessHours"] = new Dictionary<string, object?>
            {
                ["mean"] = Stats.Round(Stats.Mean(business)),
                ["median"] = Stats.Round(Stats.Median(business)),
                ["p90"] = Stats.Round(Stats.Percentile(business, 0.9)),
            },
        });
    }

    private static KpiResult Frt(Query q) =>
        TicketMetric(q, "frt", "hours", (t, f, to) => CreatedIn(t, f, to) && t.FirstResponse != TicketFacts.None, list =>
        {
            var hours = list.Select(t => Hours(t.FirstResponse - t.Created)).ToList();
            return new Agg(Stats.Mean(hours), list.Count, new() { ["median"] = Stats.Round(Stats.Median(hours)) });
        });

    private static KpiResult Fcr(Query q) => TicketMetric(q, "fcr", "ratio", ResolvedIn, list => FcrAgg(q, list));

    internal static Agg FcrAgg(Query q, List<TicketFacts> list)
    {
        var window = (long)(q.Options.FcrFollowUpDays * MsPerDay);
        var first = 0;
        foreach (var t in list)
        {
            if (!t.EverReopened && t.Escalations == 0 && !HasFollowUp(q.Ix, t, window))
            {
                first++;
            }
        }

        return new Agg(Stats.Ratio(first, list.Count), list.Count, new() { ["firstContact"] = first });
    }

    /// <summary>Another ticket by the same requester in the same category created in (resolution, resolution + window].</summary>
    private static bool HasFollowUp(KpiIndex ix, TicketFacts t, long window)
    {
        foreach (var other in ix.SameRequesterAndCategory(t))
        {
            if (other == t.Index)
            {
                continue;
            }

            var created = ix.Tickets[other].Created;
            if (created > t.FinalResolved && created <= t.FinalResolved + window)
            {
                return true;
            }
        }

        return false;
    }

    private static KpiResult Sla(Query q)
    {
        var result = TicketMetric(q, "sla", "ratio",
            (t, f, to) => TicketFacts.Decide(t.ResolutionHasTarget, t.ResolutionDeadline, t.ResolutionCompleted, q.Now) is { } d && d.At >= f && d.At < to,
            list => SlaAgg(q, list, response: false), defaultBy: "priority");
        var (current, _) = q.Tickets((t, f, to) => TicketFacts.Decide(t.ResponseHasTarget, t.ResponseDeadline, t.ResponseCompleted, q.Now) is { } d && d.At >= f && d.At < to);
        var response = SlaAgg(q, current, response: true);
        result.Extra["response"] = new Dictionary<string, object?>
        {
            ["value"] = Stats.Round(response.Value),
            ["count"] = response.Count,
            ["met"] = response.Extra!["met"],
            ["breached"] = response.Extra!["breached"],
        };
        return result;
    }

    internal static Agg SlaAgg(Query q, List<TicketFacts> list, bool response)
    {
        var met = 0;
        foreach (var t in list)
        {
            var decided = response
                ? TicketFacts.Decide(t.ResponseHasTarget, t.ResponseDeadline, t.ResponseCompleted, q.Now)
                : TicketFacts.Decide(t.ResolutionHasTarget, t.ResolutionDeadline, t.ResolutionCompleted, q.Now);
            if (decided is { Met: true })
            {
                met++;
            }
        }

        return new Agg(Stats.Ratio(met, list.Count), list.Count, new() { ["met"] = met, ["breached"] = list.Count - met });
    }

    private static KpiResult Escalation(Query q) =>
        TicketMetric(q, "escalation", "ratio", ResolvedIn, list =>
        {
            var escalated = list.Count(t => t.Escalations > 0);
            return new Agg(Stats.Ratio(escalated, list.Count), list.Count, new() { ["escalated"] = escalated });
        });

    private static KpiResult Automation(Query q) =>
        TicketMetric(q, "automation", "ratio", ResolvedIn, AutomationAgg);

    internal static Agg AutomationAgg(List<TicketFacts> list)
    {
        int ai = 0, assisted = 0, unassisted = 0;
        foreach (var t in list)
        {
            switch (t.Outcome)
            {
                case Outcome.AiResolved: ai++; break;
                case Outcome.AiAssisted: assisted++; break;
                case Outcome.Unassisted: unassisted++; break;
            }
        }

        return new Agg(Stats.Ratio(ai, list.Count), list.Count, new()
        {
            ["aiResolved"] = new Dictionary<string, object?> { ["count"] = ai, ["share"] = Stats.Round(Stats.Ratio(ai, list.Count)) },
            ["aiAssisted"] = new Dictionary<string, object?> { ["count"] = assisted, ["share"] = Stats.Round(Stats.Ratio(assisted, list.Count)) },
            ["unassisted"] = new Dictionary<string, object?> { ["count"] = unassisted, ["share"] = Stats.Round(Stats.Ratio(unassisted, list.Count)) },
        });
    }

    private static KpiResult Savings(Query q) =>
        TicketMetric(q, "savings", "hours", (t, f, to) => ResolvedIn(t, f, to) && t.Outcome == Outcome.AiResolved, list =>
        {
            var minutes = list.Sum(t => q.Options.MinutesSavedFor(q.Ix.Categories.Name(t.Category)));
            double? hours = list.Count == 0 ? null : minutes / 60d;
            return new Agg(hours, list.Count, new()
            {
                ["minutes"] = list.Count == 0 ? null : Math.Round(minutes, 6),
                ["cost"] = hours is { } h ? Math.Round((decimal)h * q.Options.HourlyRate, 2) : null,
                ["currency"] = q.Options.Currency,
                ["hourlyRate"] = q.Options.HourlyRate,
            });
        });

    // ---- survey, deflection, runs, approvals, access ------------------------------------------------

    private static KpiResult Csat(Query q)
    {
        var (current, previous) = Split(q, q.Ix.Answers, a => a.At, a => a.Ticket);
        var sent = q.Ix.SurveysSent.Count(s => s.At >= q.From && s.At < q.To && q.InScope(s.Ticket));
        var result = Build(q, "csat", "ratio", current, previous, CsatAgg, a => a.Ticket);
        result.Extra["sent"] = sent;
        result.Extra["responseRate"] = Stats.Round(Stats.Ratio(current.Count, sent));
        return result;
    }

    internal static Agg CsatAgg(List<SurveyAnswer> list)
    {
        var satisfied = list.Count(a => a.Score >= 4);
        return new Agg(Stats.Ratio(satisfied, list.Count), list.Count, new()
        {
            ["satisfied"] = satisfied,
            ["meanScore"] = Stats.Round(list.Count == 0 ? null : list.Average(a => a.Score)),
        });
    }

    /// <summary>Items (answers, runs ...) in scope by their ticket, split into the current and previous period by their instant.</summary>
    private static (List<T> Current, List<T> Previous) Split<T>(Query q, IEnumerable<T> items, Func<T, long> at, Func<T, int> ticket)
    {
        var current = new List<T>();
        var previous = new List<T>();
        foreach (var item in items)
        {
            var when = at(item);
            if ((when >= q.From && when < q.To) || (when >= q.PrevFrom && when < q.PrevTo))
            {
                if (!q.InScope(ticket(item)))
                {
                    continue;
                }

                (when >= q.From && when < q.To ? current : previous).Add(item);
            }
        }

        return (current, previous);
    }

    private static KpiResult Deflection(Query q)
    {
        if (q.Request.By is not (null or "team" or "category"))
        {
            throw new UsageException("Deflections belong to no ticket, so they can only be segmented by team or category.", "/kpi deflection [team:NAME] [period:...] [by:team|category]");
        }

        // Deflections carry team and category but no ticket: count them against tickets created in the same scope.
        (int Deflected, int Created) Count(long from, long to, Func<int, int, bool> match)
        {
            var deflected = q.Ix.Deflections.Count(d => d.At >= from && d.At < to && (q.Team == -1 || d.Team == q.Team) && q.Tech == -1 && match(d.Team, d.Category));
            var created = q.Ix.Tickets.Count(t => q.InScope(t) && CreatedIn(t, from, to) && match(t.Team, t.Category));
            return (deflected, created);
        }

        var now = Count(q.From, q.To, (_, _) => true);
        var before = Count(q.PrevFrom, q.PrevTo, (_, _) => true);
        var segments = new List<KpiSegment>();
        if (q.Request.By is { } by)
        {
            var dims = by == "team" ? q.Ix.Teams : q.Ix.Categories;
            for (var id = 0; id < dims.Count; id++)
            {
                var key = id;
                var c = Count(q.From, q.To, (team, category) => (by == "team" ? team : category) == key);
                if (c.Deflected + c.Created > 0)
                {
                    segments.Add(new KpiSegment(dims.Name(id), Stats.Round(Stats.Ratio(c.Deflected, c.Deflected + c.Created)), c.Deflected + c.Created));
                }
            }

            segments = [.. segments.OrderByDescending(s => s.Count).ThenBy(s => s.Key, StringComparer.Ordinal)];
        }

        var result = new KpiResult
        {
            Metric = "deflection",
            Team = q.Request.Team,
            From = q.Request.From,
            To = q.Request.To,
            Value = Stats.Round(Stats.Ratio(now.Deflected, now.Deflected + now.Created)),
            Unit = "ratio",
            Count = now.Deflected + now.Created,
            Segments = segments,
            Previous = new KpiPrevious(DateTimeOffset.FromUnixTimeMilliseconds(q.PrevFrom), DateTimeOffset.FromUnixTimeMilliseconds(q.PrevTo),
                Stats.Round(Stats.Ratio(before.Deflected, before.Deflected + before.Created)), before.Deflected + before.Created),
        };
        result.Extra["deflected"] = now.Deflected;
        result.Extra["created"] = now.Created;
        return result;
    }

    private static KpiResult Workflows(Query q)
    {
        var (current, previous) = Split(q, q.Ix.Runs.Values, r => r.Started, r => r.Ticket);
        return Build(q, "workflows", "ratio", current, previous, list =>
        {
            var ended = list.Count(r => r.Ended != TicketFacts.None);
            var failed = list.Count(r => r.Ended != TicketFacts.None && r.Failed);
            return new Agg(Stats.Ratio(failed, ended), ended, new() { ["started"] = list.Count, ["ended"] = ended, ["failed"] = failed, ["completed"] = ended - failed });
        }, r => r.Ticket);
    }

    private static KpiResult Overrides(Query q)
    {
        var (current, previous) = Split(q, q.Ix.Runs.Values, r => r.Started, r => r.Ticket);
        return Build(q, "overrides", "ratio", current, previous, list =>
        {
            var overridden = list.Count(r => r.Overridden);
            return new Agg(Stats.Ratio(overridden, list.Count), list.Count, new() { ["overridden"] = overridden });
        }, r => r.Ticket);
    }

    private static KpiResult Approvals(Query q)
    {
        var (current, previous) = Split(q, q.Ix.GatedActions, g => g.At, g => g.Ticket);
        var result = Build(q, "approvals", "ratio", current, previous, list =>
        {
            var approved = list.Count(g => g.Approved);
            return new Agg(Stats.Ratio(approved, list.Count), list.Count, new() { ["approved"] = approved, ["unapproved"] = list.Count - approved });
        }, g => g.Ticket);
        var decided = q.Ix.Approvals.Values.Where(a => a.Decided >= q.From && a.Decided < q.To && a.Requested != TicketFacts.None && q.InScope(a.Ticket)).ToList();
        result.Extra["latencyMedianHours"] = Stats.Round(Stats.Median([.. decided.Select(a => Hours(a.Decided - a.Requested))]));
        result.Extra["decided"] = decided.Count;
        result.Extra["denied"] = decided.Count(a => a.Denied);
        result.Extra["expired"] = q.Ix.Approvals.Values.Count(a => a.Expired >= q.From && a.Expired < q.To && q.InScope(a.Ticket));
        return result;
    }

    private static KpiResult Access(Query q)
    {
        var (current, previous) = Split(q, q.Ix.Access, a => a.At, a => a.Ticket);
        var overdue = OverdueGrants(q);
        var result = Build(q, "access", "events", current, previous, list => new Agg(list.Count, list.Count), a => a.Ticket);
        result.Extra["overdueRevocations"] = overdue.Count;
        result.Extra["rows"] = overdue.Select(a => Row(q, a, overdue: true))
            .Concat(current.OrderBy(a => a.At).Select(a => Row(q, a, overdue: false))).ToList();
        return result;
    }

    /// <summary>Grants whose expiry has passed with no revocation of the same resource on the same ticket since.</summary>
    private static List<AccessRecord> OverdueGrants(Query q) =>
        [.. q.Ix.Access.Where(g => g.Granted && g.ExpiresAt != TicketFacts.None && g.ExpiresAt <= q.Now && q.InScope(g.Ticket)
            && !q.Ix.Access.Any(r => !r.Granted && r.Ticket == g.Ticket && r.Resource == g.Resource && r.At >= g.At))
            .OrderBy(g => g.ExpiresAt)];

    private static Dictionary<string, object?> Row(Query q, AccessRecord a, bool overdue) => new()
    {
        ["ticket"] = q.Ix.Tickets[a.Ticket].Key,
        ["event"] = a.Granted ? "AccessGranted" : "AccessRevoked",
        ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(a.At),
        ["requester"] = a.Person,
        ["approver"] = a.ApprovedBy,
        ["resource"] = a.Resource,
        ["role"] = a.Role,
        ["expiresAt"] = a.ExpiresAt == TicketFacts.None ? null : DateTimeOffset.FromUnixTimeMilliseconds(a.ExpiresAt),
        ["outcome"] = a.Outcome,
        ["overdue"] = overdue,
    };
}
