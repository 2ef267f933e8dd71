using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Options;

namespace ItChatBot.Core.Kpi;

/// <summary>
/// Every metric of DESIGN §4 over the <see cref="KpiIndex"/> rollups. The chat command, the API and the CLI
/// all call <see cref="ComputeAsync"/> with a <see cref="KpiRequest"/>, so they give the same numbers.
/// Each metric is a selection (which tickets or events belong to a period) and an aggregate over the
/// selection; the same pair gives the value, the segments and the previous period. Ticket selections come from
/// one pass over <see cref="TicketColumns"/> (<see cref="Query.Scan"/>), which the summary shares between its metrics.
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
    internal sealed partial class Query
    {
        public Query(KpiIndex ix, KpiRequest r, DateTimeOffset now, KpiOptions options)
        {
            Ix = ix;
            Request = r;
            Options = options;
            Now = now.ToUnixTimeMilliseconds();
            From = r.From.ToUnixTimeMilliseconds();
            To = r.To.ToUnixTimeMilliseconds();
            var (pf, pt) = KpiPeriod.Previous(r.From, r.To, r.PeriodKind);
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

        public TicketColumns C => Ix.Columns;

        /// <summary>The same question over the previous period.</summary>
        public Query Previous() => new(Ix, Request with
        {
            From = DateTimeOffset.FromUnixTimeMilliseconds(PrevFrom),
            To = DateTimeOffset.FromUnixTimeMilliseconds(PrevTo),
            PeriodKind = KpiPeriodKind.Span,
        }, DateTimeOffset.FromUnixTimeMilliseconds(Now), Options);

        /// <summary>The ticket exists and is in the team and technician scope.</summary>
        public bool InScope(int ticket)
        {
            var c = Ix.Columns;
            return ticket >= 0 && c.Created[ticket] != TicketColumns.None
                && (Team == -1 || c.Team[ticket] == Team) && (Tech == -1 || c.Assignee[ticket] == Tech);
        }

        public string KeyOf(int t, string by) => by switch
        {
            "priority" => Ix.Priorities.Name(C.Priority[t]),
            "category" => Ix.Categories.Name(C.Category[t]),
            "team" => Ix.Teams.Name(C.Team[t]),
            "channel" => C.Channel[t] >= 0 && Ix.Channels.Name(C.Channel[t]) is { Length: > 0 } c ? c : "(none)",
            "tech" => C.Assignee[t] >= 0 ? Ix.People.Name(C.Assignee[t]) : KpiCards.Unassigned,
            "outcome" => TicketColumns.Decode(C.Outcome[t]) switch
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
            foreach (var group in current.GroupBy(item => ticketOf(item) is var i and >= 0 ? q.KeyOf(i, by) : "(none)"))
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

    /// <summary>A metric over one ticket set of a scan: the current and previous period's indices.</summary>
    private static KpiResult TicketMetric(Query q, string metric, string unit, List<int> current, List<int> previous, Func<List<int>, Agg> aggregate, string? defaultBy = null) =>
        Build(q, metric, unit, current, previous, aggregate, i => i, defaultBy);

    private static double Hours(long ms) => ms / MsPerHour;

    private static List<int> Where(List<int> tickets, Func<int, bool> keep) => tickets.FindAll(i => keep(i));

    // ---- ticket metrics -------------------------------------------------------------------------------

    private static KpiResult Volume(Query q) => Volume(q, q.Scan(Need.Created));

    private static KpiResult Volume(Query q, Selection s) =>
        TicketMetric(q, "volume", "tickets", s.Created, s.CreatedBefore, list => new Agg(list.Count, list.Count));

    private static KpiResult Mttr(Query q) => Mttr(q, q.Scan(Need.Resolved));

    private static KpiResult Mttr(Query q, Selection s) =>
        TicketMetric(q, "mttr", "hours", s.Resolved, s.ResolvedBefore, list => MttrAgg(q, list), defaultBy: "priority");

    internal static Agg MttrAgg(Query q, List<int> list)
    {
        var c = q.C;
        var hours = new List<double>(list.Count);
        var business = new List<double>(list.Count);
        foreach (var i in list)
        {
            hours.Add(Hours(c.Resolved[i] - c.Created[i]));
            if (!double.IsNaN(c.BusinessHours[i]))
            {
                business.Add(c.BusinessHours[i]);
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

    private static KpiResult Frt(Query q)
    {
        var s = q.Scan(Need.Created);
        var c = q.C;
        bool Responded(int i) => c.FirstResponse[i] != TicketColumns.None;
        return TicketMetric(q, "frt", "hours", Where(s.Created, Responded), Where(s.CreatedBefore, Responded), list =>
        {
            var hours = list.Select(i => Hours(c.FirstResponse[i] - c.Created[i])).ToList();
            return new Agg(Stats.Mean(hours), list.Count, new() { ["median"] = Stats.Round(Stats.Median(hours)) });
        });
    }

    private static KpiResult Fcr(Query q) => Fcr(q, q.Scan(Need.Resolved));

    private static KpiResult Fcr(Query q, Selection s) =>
        TicketMetric(q, "fcr", "ratio", s.Resolved, s.ResolvedBefore, list => FcrAgg(q, list));

    internal static Agg FcrAgg(Query q, List<int> list)
    {
        var window = (long)(q.Options.FcrFollowUpDays * MsPerDay);
        var flags = q.C.Flags;
        var first = 0;
        foreach (var i in list)
        {
            // Cheap column tests first; the follow-up search (two binary searches) only for what is left.
            if ((flags[i] & (TicketColumns.Reopened | TicketColumns.Escalated)) == 0 && !q.Ix.HasFollowUp(i, window))
            {
                first++;
            }
        }

        return new Agg(Stats.Ratio(first, list.Count), list.Count, new() { ["firstContact"] = first });
    }

    private static KpiResult Sla(Query q) => Sla(q, q.Scan(Need.Sla | Need.Response));

    private static KpiResult Sla(Query q, Selection s)
    {
        var result = TicketMetric(q, "sla", "ratio", s.Sla, s.SlaBefore, list => SlaAgg(q, list, response: false), defaultBy: "priority");
        var response = SlaAgg(q, s.Response, response: true);
        result.Extra["response"] = new Dictionary<string, object?>
        {
            ["value"] = Stats.Round(response.Value),
            ["count"] = response.Count,
            ["met"] = response.Extra!["met"],
            ["breached"] = response.Extra!["breached"],
        };
        return result;
    }

    /// <summary>Met ÷ decided over tickets whose SLA was decided in the period (the scan only selects decided ones).</summary>
    internal static Agg SlaAgg(Query q, List<int> list, bool response)
    {
        var flags = q.C.Flags;
        var bit = response ? TicketColumns.ResponseMet : TicketColumns.SlaMet;
        var met = 0;
        foreach (var i in list)
        {
            if ((flags[i] & bit) != 0)
            {
                met++;
            }
        }

        return new Agg(Stats.Ratio(met, list.Count), list.Count, new() { ["met"] = met, ["breached"] = list.Count - met });
    }

    private static KpiResult Escalation(Query q) => Escalation(q, q.Scan(Need.Resolved));

    private static KpiResult Escalation(Query q, Selection s) =>
        TicketMetric(q, "escalation", "ratio", s.Resolved, s.ResolvedBefore, list =>
        {
            var flags = q.C.Flags;
            var escalated = list.Count(i => (flags[i] & TicketColumns.Escalated) != 0);
            return new Agg(Stats.Ratio(escalated, list.Count), list.Count, new() { ["escalated"] = escalated });
        });

    private static KpiResult Automation(Query q) => Automation(q, q.Scan(Need.Resolved));

    private static KpiResult Automation(Query q, Selection s) =>
        TicketMetric(q, "automation", "ratio", s.Resolved, s.ResolvedBefore, list => AutomationAgg(q, list));

    internal static Agg AutomationAgg(Query q, List<int> list)
    {
        var outcomes = q.C.Outcome;
        int ai = 0, assisted = 0, unassisted = 0;
        foreach (var i in list)
        {
            switch (TicketColumns.Decode(outcomes[i]))
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

    private static KpiResult Savings(Query q)
    {
        var s = q.Scan(Need.Resolved);
        var c = q.C;
        var aiResolved = TicketColumns.Encode(Outcome.AiResolved);
        bool ByAi(int i) => c.Outcome[i] == aiResolved;
        return TicketMetric(q, "savings", "hours", Where(s.Resolved, ByAi), Where(s.ResolvedBefore, ByAi), list =>
        {
            var minutes = list.Sum(i => q.Options.MinutesSavedFor(q.Ix.Categories.Name(c.Category[i])));
            double? hours = list.Count == 0 ? null : minutes / 60d;
            return new Agg(hours, list.Count, new()
            {
                ["minutes"] = list.Count == 0 ? null : Math.Round(minutes, 6),
                ["cost"] = hours is { } h ? Math.Round((decimal)h * q.Options.HourlyRate, 2) : null,
                ["currency"] = q.Options.Currency,
                ["hourlyRate"] = q.Options.HourlyRate,
            });
        });
    }

    // ---- survey, deflection, runs, approvals, access ------------------------------------------------

    private static KpiResult Csat(Query q)
    {
        var (current, previous) = Split(q, q.Ix.Answers, a => a.At, a => a.Ticket);
        var sent = 0;
        // A plain loop: every survey ever sent (about one per ticket) is looked at, so no delegate per item.
        foreach (var (at, ticket) in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(q.Ix.SurveysSent))
        {
            if (at >= q.From && at < q.To && q.InScope(ticket))
            {
                sent++;
            }
        }

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
        var scan = q.Scan(Need.Created);
        int Deflected(long from, long to, Func<Deflection, bool> match) =>
            q.Tech != -1 ? 0 : q.Ix.Deflections.Count(d => d.At >= from && d.At < to && (q.Team == -1 || d.Team == q.Team) && match(d));

        var now = (Deflected: Deflected(q.From, q.To, _ => true), Created: scan.Created.Count);
        var before = (Deflected: Deflected(q.PrevFrom, q.PrevTo, _ => true), Created: scan.CreatedBefore.Count);
        var segments = new List<KpiSegment>();
        if (q.Request.By is { } by)
        {
            var dims = by == "team" ? q.Ix.Teams : q.Ix.Categories;
            var ticketDim = by == "team" ? q.C.Team : q.C.Category;
            var deflected = new int[dims.Count];
            var created = new int[dims.Count];
            foreach (var d in q.Ix.Deflections)
            {
                if (q.Tech == -1 && d.At >= q.From && d.At < q.To && (q.Team == -1 || d.Team == q.Team) && (by == "team" ? d.Team : d.Category) is var id and >= 0)
                {
                    deflected[id]++;
                }
            }

            foreach (var i in scan.Created)
            {
                if (ticketDim[i] >= 0)
                {
                    created[ticketDim[i]]++;
                }
            }

            for (var id = 0; id < dims.Count; id++)
            {
                if (deflected[id] + created[id] > 0)
                {
                    segments.Add(new KpiSegment(dims.Name(id), Stats.Round(Stats.Ratio(deflected[id], deflected[id] + created[id])), deflected[id] + created[id]));
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

    /// <summary>
    /// Grants whose expiry has passed with no successful revocation of the same resource on the same ticket since.
    /// A revocation with an outcome other than <c>revoked</c> (the revocation service writes <c>failed</c> when the
    /// directory call fails) leaves the grant active, as <see cref="AccessLedger"/> reads it.
    /// </summary>
    private static List<AccessRecord> OverdueGrants(Query q)
    {
        // The latest revocation per ticket and resource, so each grant is one lookup rather than a walk over all access events.
        var lastRevoked = new Dictionary<(int Ticket, string Resource), long>();
        foreach (var r in q.Ix.Access)
        {
            if (!r.Granted && (r.Outcome ?? AccessLedger.Revoked) == AccessLedger.Revoked
                && (!lastRevoked.TryGetValue((r.Ticket, r.Resource), out var at) || r.At > at))
            {
                lastRevoked[(r.Ticket, r.Resource)] = r.At;
            }
        }

        return [.. q.Ix.Access.Where(g => g.Granted && g.ExpiresAt != TicketFacts.None && g.ExpiresAt <= q.Now && q.InScope(g.Ticket)
                && !(lastRevoked.TryGetValue((g.Ticket, g.Resource), out var revoked) && revoked >= g.At))
            .OrderBy(g => g.ExpiresAt)];
    }

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
        ["alreadyMember"] = a.AlreadyMember,
        ["keptBy"] = a.KeptBy,
        ["overdue"] = overdue,
    };
}
