using System.Globalization;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Import;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.Cli;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// <c>itchatbot import FILE.csv</c>: a flat ticket export as Jira Service Management or Freshservice write it,
/// one ticket a row, mapped to <c>Created</c>, <c>Responded</c>, <c>Escalated</c>, <c>Resolved</c>, <c>Reopened</c>, <c>Closed</c>
/// and <c>SurveyAnswered</c> (column names in docs/kpi.md; unknown columns are ignored). Event ids derive from the ticket key,
/// so the same file twice changes nothing. A bad row is reported with its line and the others are kept; so is a row whose
/// column that is read holds the NUL character (U+0000), which the PostgreSQL store cannot keep (see <see cref="NulCharacter"/>);
/// columns that are not read are not looked at, as an export's free-text columns may hold anything.
/// </summary>
public sealed class CsvTicketImporter(IEventLog log, ITicketStore tickets, SupportTeams teams) : IHistoryFileImporter
{
    /// <summary>The actor of what the export records without saying who did it.</summary>
    private const string ImportActor = "import";

    private static readonly string[] KeyColumns = ["issue key", "key", "ticket id", "id"];
    private static readonly string[] SubjectColumns = ["summary", "subject"];
    private static readonly string[] PriorityColumns = ["priority"];
    private static readonly string[] CreatedColumns = ["created", "created date", "created time", "created at"];
    private static readonly string[] ResolvedColumns = ["resolved", "resolved date", "resolved time", "resolution date", "resolved at"];
    private static readonly string[] FirstResolvedColumns = ["first resolved", "first resolved date", "first resolution date"];
    private static readonly string[] ReopenedColumns = ["reopened", "reopened date", "last reopened"];
    private static readonly string[] EscalatedColumns = ["escalated", "escalated date", "escalated at"];
    private static readonly string[] RequesterColumns = ["reporter", "requester", "requester email", "requester name"];
    private static readonly string[] AssigneeColumns = ["assignee", "agent"];
    private static readonly string[] CategoryColumns = ["category", "request type", "custom field (request type)", "component/s", "type", "issue type"];
    private static readonly string[] TeamColumns = ["team", "group", "project key", "project"];
    private static readonly string[] ChannelColumns = ["source", "channel"];
    private static readonly string[] SatisfactionColumns =
        ["satisfaction", "satisfaction rating", "customer satisfaction", "csat", "custom field (satisfaction)", "survey result", "survey results"];

    /// <summary>Jira Service Management's date of the satisfaction answer; without it the answer is placed at the resolution.</summary>
    private static readonly string[] SatisfactionDateColumns = ["custom field (satisfaction date)"];

    /// <summary>
    /// The time of the first reply: Freshservice's "Initial Response Time", Jira's "[CHART] Date of First Response". Not Jira's
    /// "Time to first response" (the SLA's time left, e.g. -02:30) nor Freshservice's "First Response Time (in Hrs)" (a duration
    /// in the helpdesk's business hours, which cannot be turned back into an instant here).
    /// </summary>
    private static readonly string[] FirstResponseColumns = ["initial response time", "custom field ([chart] date of first response)"];

    private static readonly string[] ClosedColumns = ["closed time"];
    private static readonly string[] StatusColumns = ["status"];

    /// <summary>Jira's and Freshservice's own ways of writing a time (d, M and H take one digit or two).</summary>
    private static readonly string[] DateFormats =
    [
        "d/MMM/yy h:mm tt", "d/MMM/yy H:mm", "d/MMM/yyyy h:mm tt", "d/MMM/yyyy H:mm",
        "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy h:mm tt", "M/d/yyyy h:mm:ss tt", "M/d/yyyy", "ddd, d MMM, yyyy h:mm tt",
    ];

    public bool Handles(FileInfo file) => file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase);

    public async Task<int> ImportAsync(FileInfo file, TextWriter output, CancellationToken cancellationToken)
    {
        using var reader = file.OpenText();
        var report = await ImportAsync(reader, cancellationToken);
        foreach (var line in report.Rejected.Concat(report.Notes).OrderBy(l => l.Line))
        {
            await output.WriteLineAsync($"line {line.Line}: {line.Reason}");
        }

        await output.WriteLineAsync($"{report.Lines} rows: {report.Appended} events imported, {report.Skipped} already present, {report.Rejected.Count} rejected.");
        return report.Rejected.Count == 0 ? 0 : 1;
    }

    public async Task<ImportReport> ImportAsync(TextReader reader, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedLine>();
        var notes = new List<RejectedLine>();
        Dictionary<string, int>? columns = null;
        List<string> header = [];
        int rows = 0, appended = 0, skipped = 0;
        try
        {
            foreach (var (line, fields) in Csv.Read(reader))
            {
                if (columns is null)
                {
                    header = fields;
                    columns = fields.Select((name, i) => (Name: name.Trim().ToLowerInvariant(), i)).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().i);
                    if (Find(columns, KeyColumns) is null || Find(columns, CreatedColumns) is null)
                    {
                        rejected.Add(new RejectedLine(line, $"The header needs a key column ({string.Join(", ", KeyColumns)}) and a creation column ({string.Join(", ", CreatedColumns)})."));
                        break;
                    }

                    continue;
                }

                rows++;
                try
                {
                    var events = Map(columns, header, fields, out var note);
                    var existing = await log.ContainsAsync([.. events.Select(e => e.Id)], cancellationToken);
                    var fresh = events.Where(e => !existing.Contains(e.Id)).ToList();
                    skipped += events.Count - fresh.Count;
                    if (fresh.Count == 0)
                    {
                        AddNote(line, note);
                        continue;
                    }

                    // Checked against the ticket's rules as the log holds it, so a row cannot break a ticket.
                    var ticket = await tickets.GetAsync(fresh[0].Ticket!, cancellationToken) ?? new Ticket { Key = fresh[0].Ticket! };
                    foreach (var e in fresh)
                    {
                        if (ticket.Check(e) is { } problem)
                        {
                            throw new FormatException(problem);
                        }

                        ticket.Apply(e);
                    }

                    appended += (await log.AppendAsync(fresh, cancellationToken: cancellationToken)).Appended.Count;
                    AddNote(line, note);
                }
                catch (FormatException e)
                {
                    rejected.Add(new RejectedLine(line, e.Message));
                }
            }
        }
        catch (UnclosedQuoteException e)
        {
            // The rows before it are in; the unread rest is reported at the row that opened the quote.
            rejected.Add(new RejectedLine(e.Line, e.Message));
        }

        return new ImportReport(rows, appended, skipped, rejected) { Notes = notes };

        void AddNote(int line, string? note)
        {
            if (note is not null)
            {
                notes.Add(new RejectedLine(line, note));
            }
        }
    }

    /// <param name="note">What of the row was left out while the rest is imported, or null.</param>
    /// <param name="header">The header's column names as written, to name a column in a reason.</param>
    private List<TicketEvent> Map(Dictionary<string, int> columns, List<string> header, List<string> fields, out string? note)
    {
        note = null;
        string? Get(string[] names) => Find(columns, names) is { } i && i < fields.Count && fields[i].Trim() is { Length: > 0 } v
            ? NulCharacter.In(v) ? throw new FormatException(NulCharacter.Reason(header[i].Trim())) : v
            : null;

        var rawKey = Get(KeyColumns) ?? throw new FormatException("The ticket has no key.");
        var teamText = Get(TeamColumns) ?? (rawKey.Contains('-', StringComparison.Ordinal) ? rawKey[..rawKey.LastIndexOf('-')] : null);
        var team = teams.Find(teamText) ?? throw new FormatException($"'{teamText}' is no configured team; the teams are {string.Join(", ", teams.All.Select(t => t.Name))}.");
        var number = rawKey.Contains('-', StringComparison.Ordinal) ? rawKey[(rawKey.LastIndexOf('-') + 1)..] : rawKey;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"'{rawKey}' is not a ticket key such as IT-1042 or a ticket number.");
        }

        var key = $"{team.KeyPrefix}-{number}";
        var created = Date(Get(CreatedColumns), "created") ?? throw new FormatException("The ticket has no creation time.");
        var requester = Get(RequesterColumns) ?? "unknown";
        var priority = MapPriority(Get(PriorityColumns));
        var category = (Get(CategoryColumns) ?? "general").ToLowerInvariant();
        var events = new List<TicketEvent>
        {
            Event(key, "created", EventType.Created, created, requester, ActorKind.Requester, new()
            {
                [EventData.Team] = team.Name,
                [EventData.Category] = category,
                [EventData.Priority] = priority,
                [EventData.Requester] = requester,
                [EventData.Channel] = (Get(ChannelColumns) ?? "import").ToLowerInvariant(),
                [EventData.Subject] = Get(SubjectColumns) ?? "",
            }),
        };
        var assignee = Get(AssigneeColumns);
        var agent = assignee ?? ImportActor;
        if (assignee is not null)
        {
            events.Add(Event(key, "assigned", EventType.Assigned, created, assignee, ActorKind.Agent, new() { [EventData.Assignee] = assignee }));
        }

        if (Date(Get(FirstResponseColumns), "first response") is { } responded)
        {
            // Without it an imported ticket had no response, and the response SLA counted it breached once resolved.
            // The export says when, not who: the final assignee, as for the resolution.
            if (responded < created)
            {
                throw new FormatException($"The first response ({responded:u}) is before the creation ({created:u}).");
            }

            events.Add(Event(key, "responded", EventType.Responded, responded, agent, ActorKind.Agent, new() { [EventData.By] = "agent" }));
        }

        if (Get(EscalatedColumns) is { } escalated && !IsNo(escalated))
        {
            // A yes/no flag carries no time: the escalation is placed at creation, which only the technician view's order could notice.
            // The export's assignee is the final one, usually who received the escalation: it stays the ticket's assignee
            // (an Escalated without one would leave the ticket unassigned). Who escalated is not in the export, so the
            // escalation is made by the import, not counted as an escalation the assignee made.
            var at = IsYes(escalated) ? created : Date(escalated, "escalated") ?? created;
            var data = new Dictionary<string, string> { [EventData.ToTier] = "L2", [EventData.ToTeam] = team.Name };
            if (assignee is not null)
            {
                data[EventData.Assignee] = assignee;
            }

            events.Add(Event(key, "escalated", EventType.Escalated, at, ImportActor, ActorKind.System, data));
        }

        var resolved = Date(Get(ResolvedColumns), "resolved");
        var reopened = Date(Get(ReopenedColumns) is { } r && !IsNo(r) && !IsYes(r) ? r : null, "reopened");
        var firstResolved = Date(Get(FirstResolvedColumns), "first resolved");
        if (reopened is { } again)
        {
            if (firstResolved is not { } first || first > again)
            {
                throw new FormatException("A reopen time needs the first resolution time before it (a 'First Resolved' column).");
            }

            events.Add(Event(key, "resolved-1", EventType.Resolved, first, agent, ActorKind.Agent));
            events.Add(Event(key, "reopened", EventType.Reopened, again, requester, ActorKind.Requester));
        }

        if (resolved is { } done)
        {
            if (done < created)
            {
                throw new FormatException($"The resolution ({done:u}) is before the creation ({created:u}).");
            }

            events.Add(Event(key, "resolved", EventType.Resolved, done, agent, ActorKind.Agent));
            if (Get(SatisfactionColumns) is { } satisfaction)
            {
                if (Score(satisfaction) is { } score)
                {
                    var answered = Date(Get(SatisfactionDateColumns), "satisfaction date") ?? done;
                    events.Add(Event(key, "survey", EventType.SurveyAnswered, answered, requester, ActorKind.Requester,
                        new() { [EventData.Score] = score.ToString(CultureInfo.InvariantCulture) }));
                }
                else
                {
                    // The ticket itself is good: it counts in volume, MTTR and SLA; only the answer cannot be read as a score.
                    note = $"Satisfaction '{satisfaction}' is not a score from 1 to 5 or a known rating (docs/kpi.md); the ticket was imported without its survey answer.";
                }
            }
        }

        // Closed follows the resolution (the ticket rules allow nothing else): its own time, or a "Closed" status at the resolution.
        var closed = Date(Get(ClosedColumns), "closed")
            ?? (resolved is { } end && string.Equals(Get(StatusColumns), "closed", StringComparison.OrdinalIgnoreCase) ? end : null);
        if (closed is { } shut)
        {
            if (resolved is not { } final)
            {
                throw new FormatException("A closing time needs the resolution time before it (a 'Resolved' column).");
            }

            if (shut < final)
            {
                throw new FormatException($"The closing ({shut:u}) is before the resolution ({final:u}).");
            }

            events.Add(Event(key, "closed", EventType.Closed, shut, agent, ActorKind.Agent));
        }

        // Stable: events at one instant keep the order above (Created before its Assigned, Resolved before its Closed).
        return [.. events.OrderBy(e => e.At)];
    }

    private static TicketEvent Event(string key, string what, EventType type, DateTimeOffset at, string actor, ActorKind kind, Dictionary<string, string>? data = null) =>
        TicketEvent.New(key, type, at, actor, kind, data, id: $"csv:{key}:{what}");

    private static int? Find(Dictionary<string, int> columns, string[] names)
    {
        foreach (var name in names)
        {
            if (columns.TryGetValue(name, out var i))
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsYes(string v) => v.Trim().ToLowerInvariant() is "yes" or "true" or "1" or "y";

    private static bool IsNo(string v) => v.Trim().ToLowerInvariant() is "no" or "false" or "0" or "n";

    private static DateTimeOffset? Date(string? text, string column)
    {
        if (text is null)
        {
            return null;
        }

        // Times without a zone are taken as UTC (docs/kpi.md). Only these shapes: a lenient parse guessed at anything else
        // (an impossible 31/Feb/26 became 26 February 2031).
        if (Iso8601.TryParse(text, out var exact)
            || DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out exact))
        {
            return exact.ToUniversalTime();
        }

        throw new FormatException($"{column} '{text}' is not a date and time (ISO 8601, or as Jira/Freshservice write it).");
    }

    private static string MapPriority(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => "P3",
        "p1" or "highest" or "critical" or "urgent" or "blocker" => "P1",
        "p2" or "high" or "major" => "P2",
        "p3" or "medium" or "normal" => "P3",
        "p4" or "low" or "lowest" or "minor" or "trivial" => "P4",
        _ => throw new FormatException($"Priority '{text}' is not known; use P1-P4, Urgent/Highest, High, Medium or Low."),
    };

    /// <summary>A score from 1 to 5 (Jira may write it as 4.0), or a rating word mapped as docs/kpi.md says; null for anything else.</summary>
    private static int? Score(string text)
    {
        if (decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n == decimal.Truncate(n) && n is >= 1 and <= 5)
        {
            return (int)n;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "extremely happy" or "very happy" or "very satisfied" => 5,
            "happy" or "satisfied" => 4,
            "neutral" => 3,
            "unhappy" or "dissatisfied" => 2,
            "very unhappy" or "extremely unhappy" or "very dissatisfied" => 1,
            _ => null,
        };
    }
}
