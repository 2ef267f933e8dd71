using System.Text.RegularExpressions;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Knowledge;
using ItChatBot.Automation.Steps;
using ItChatBot.Automation.Understanding;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Intake;
using ItChatBot.Core.Sla;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// What the bot does with a request before any person sees it: offer a strong knowledge-base match; start the
/// workflow of a confident intent (opening its ticket); ask back when unsure; otherwise leave it to keyword triage.
/// </summary>
public sealed partial class RequestIntake(
    RequestUnderstanding understanding,
    KnowledgeBase knowledge,
    WorkflowCatalog catalog,
    WorkflowEngine engine,
    TicketService tickets,
    KeywordTriage triage,
    IPendingRequestStore pending,
    IApplicationCatalog applications,
    SupportTeams teams,
    ExistingRequests existing,
    TimeProvider clock,
    ILogger<RequestIntake> logger)
{
    private const int MaxApplicationButtons = 8;

    /// <summary>How many of the ranked intents "Did you mean…" offers.</summary>
    private const int AskBackOptions = 3;

    /// <summary>True when the request was taken care of (an offer, a question or a started workflow).</summary>
    public async Task<bool> TryHandleAsync(Turn turn, string text, ConversationRef origin, bool offerKnowledge, CancellationToken cancellationToken)
    {
        // Only greetings, thanks and filler ("hi", "thanks!", "can someone help?", an emoji): there is no request yet, and a
        // ticket named "thanks" would land in a queue and count as volume. Ask for the request instead.
        // Thanks are checked on their own: "thank you so much" or "thx" have words the filler list lacks, and opened tickets.
        var thanks = Acknowledgement.IsThanks(text);
        if (thanks || (Acknowledgement.IsThanksOrConfirmation(text) && !Acknowledgement.IsQuestion(text)))
        {
            // Thanks, or "thanks, that fixed it" / "works now" written as a new message rather than in the request's thread:
            // the person is telling the bot it helped, not asking for anything ("is it fixed?" asks). When an agent waits for
            // their answer on a request, it goes there (the agent sees it, and "works now" is offered the button that
            // resolves it).
            if (await existing.TryAnswerAwaitedAsync(turn, text, cancellationToken))
            {
                return true;
            }

            turn.ReplyEphemeral(thanks
                ? new Card { Title = "You're welcome", Text = "If you need anything else, tell me here in a sentence." }
                : new Card { Title = "Glad it works", Text = "If you need anything else, tell me here in a sentence." });
            return true;
        }

        if (await existing.TryHandleAsync(turn, text, cancellationToken))
        {
            // "any update on my ticket?", "is IT-1082 fixed yet", "IT-1082 is still broken": about a request the person
            // has, not a new one.
            return true;
        }

        if (TextNormalizer.Terms(text).Count == 0 || EmptyRequest.IsOnly(text))
        {
            // After the status questions: "where is my request" has only such words, and asks about one already made.
            turn.ReplyEphemeral(NoRequestYet());
            return true;
        }

        var understood = await understanding.UnderstandAsync(text, cancellationToken);
        Log.Understood(logger, understood.Top?.Intent.Name ?? "none", understood.Confidence, understood.Source);
        var triaged = triage.Classify(text);
        if (triaged.Incident && !(understood.Top?.Intent is { } top && top.Team == triaged.Team && top.Category == triaged.Category))
        {
            // A security incident ("I think I clicked a phishing link") goes to its team's people now: an article on
            // reporting phishing, or a password reset, would keep Security from hearing of it (the article itself says
            // "tell Security"). Only a workflow of the incident's own team and category may take it.
            return false;
        }

        // The workflow a confident intent starts, if it has one that is on here.
        var confident = understanding.IsConfident(understood);
        var workflow = confident && understood.Top!.Intent.Workflow is { } wanted ? catalog.Find(wanted) : null;
        if (workflow is null && await existing.TryAnswerAwaitedAsync(turn, text, cancellationToken))
        {
            // "a Dell XPS 13", written at the top of the conversation while an agent waits for the answer to "which laptop is
            // it?": for that ticket, before an article or a "Did you mean…" could take it for a new request. A request that
            // starts a workflow ("I also need GitHub access") is new whatever waits.
            return true;
        }

        if (offerKnowledge && knowledge.BestStrongMatch(text) is { } hit)
        {
            await OfferArticleAsync(turn, text, origin, hit);
            return true;
        }

        if (confident)
        {
            var best = understood.Top!.Intent;
            if (workflow is not null)
            {
                await StartAsync(turn, text, origin, workflow, understood.Slots, cancellationToken);
                return true;
            }

            if (best.Workflow is { } off && catalog.Unavailable.ContainsKey(off))
            {
                // A workflow that is off here (its endpoint is not configured): the request is recognised, so it goes to
                // that workflow's team and category, with no run to fail.
                await OpenForPeopleAsync(turn, text, origin, best.Team, best.Category, cancellationToken, catalog.Loaded(off)?.Priority);
                return true;
            }

            return false;
        }

        // An urgent request (triage made it P1: "payroll is down for everyone") is not asked "Did you mean…": the question
        // only delays the people who must act, so it goes to them as triage routes it.
        if (understood.Confidence >= understanding.Classifier.Settings.AskThreshold && !TriageKnowsBetter(triaged, understood) && triaged.Priority != Priority.Highest)
        {
            if (understood.Ranked.Take(AskBackOptions).ToList() is [{ Intent.Workflow: null } only])
            {
                // One category to offer beside "Something else" ("HR: leave?" for "I'm starting parental leave next month, what
                // do I need to do"): the question adds a press and tells the person nothing, so the request goes where that
                // press would send it. A lone workflow is still asked, since saying yes starts automation.
                await OpenForPeopleAsync(turn, text, origin, only.Intent.Team, only.Intent.Category, cancellationToken);
                return true;
            }

            await AskBackAsync(turn, text, origin, understood);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The answer to a message with no request in it ("hi", "what can you do?"): what is needed, and what the bot does
    /// itself, from the workflows and articles it has.
    /// </summary>
    private Card NoRequestYet()
    {
        var can = catalog.All.Select(w => w.Name).Order(StringComparer.Ordinal).ToList();
        var answers = knowledge.Count > 0 ? $" I also answer questions from {knowledge.Count} help article{(knowledge.Count == 1 ? "" : "s")}." : "";
        return new Card
        {
            Title = "What do you need?",
            Text = "Tell me in a sentence what you need, and I'll help or open a ticket for the right team."
                + (can.Count > 0 ? $" I can do these myself: {string.Join(", ", can)}." : "") + answers,
            Context = "For example: \"my laptop won't start\" or \"access to GitHub for 2 days\". Your open requests: /it status",
        };
    }

    /// <summary>Opens the workflow's ticket and runs it; asks for a required application first if the request named none.</summary>
    public async Task StartAsync(Turn turn, string text, ConversationRef origin, WorkflowDefinition workflow, IReadOnlyDictionary<string, string> slots, CancellationToken cancellationToken)
    {
        if (workflow.Slots.ContainsKey("duration") && SlotExtractor.RefusedDuration(text) is { } refused)
        {
            // Access for no time or until a time already past is not a request anyone can approve: say so now, open nothing,
            // rather than grant the workflow's default duration the person did not ask for.
            turn.ReplyEphemeral(new Card
            {
                Title = $"{workflow.Name}: how long?",
                Text = $"\"{refused.Trim()}\" is not a time I can grant access for: it has to end in the future. Ask again with how long you need it, e.g. \"for 4 hours\" or \"for 2 days\".",
            });
            return;
        }

        if (!slots.ContainsKey("application") && workflow.DeviceApplication is { } forDevice
            && (slots.GetValueOrDefault("device") is "laptop" or "desktop" || LocalAdminPattern().IsMatch(text))
            && applications.Find(forDevice) is { } local)
        {
            // "admin rights on my laptop", "local admin for an hour": the person's own computer is what they ask about,
            // not an application to pick.
            slots = new Dictionary<string, string>(slots, StringComparer.Ordinal) { ["application"] = local.Id };
        }

        if (workflow.IsRequired("application") && !slots.ContainsKey("application"))
        {
            var id = NewId();
            await pending.AddAsync(new PendingRequest(id, turn.Person.Id, text, origin, null, workflow.Id, clock.GetUtcNow()));
            turn.Reply(new Card
            {
                Title = $"{workflow.Name}: which application?",
                Text = "I can set this up for you. Which application is it for?",
                Buttons = [.. applications.All.Take(MaxApplicationButtons).Select(a => new CardButton(AutomationActions.PickApplication, a.Name, AutomationActions.Value(id, a.Id))),
                    new CardButton(AutomationActions.SomethingElse, "Something else", AutomationActions.Value(id, ""))],
                Context = "Or say it again naming the application, e.g. \"access to GitHub\".",
            });
            return;
        }

        var until = UntilDuration(workflow, slots);
        if (until is { } named)
        {
            slots = new Dictionary<string, string>(slots) { ["duration"] = DurationText.Format(named.Duration) };
        }

        var capped = CapDuration(workflow, slots);
        var ticket = await tickets.OpenAsync(
            new OpenTicket(workflow.Team, workflow.Category, workflow.Priority, turn.Person.Id, TicketCards.Shorten(text.Trim(), 200), origin) { Delivery = turn.TicketDelivery },
            cancellationToken: cancellationToken);
        await existing.OpenedAsync(turn, ticket, cancellationToken);

        // The receipt is queued with the run, ahead of the workflow's own messages: a stop before that write leaves the
        // ticket without either (a replay answers with the ticket for people, one receipt), a stop after it leaves both.
        var headline = $"Thanks {turn.Person.DisplayName}, {RequesterCard.Handling} {workflow.Name}.";
        if (until is { } end && capped is null)
        {
            headline += $" Until {end.Described} is {DurationText.Describe(end.Duration)} from now, so that is what I'm asking for.";
        }

        if (capped is { } cap)
        {
            headline += $" You asked for {DurationText.Describe(cap.Asked)}; the most this grants is {DurationText.Describe(cap.Max)}, so that is what I'm asking for.";
            slots = new Dictionary<string, string>(slots) { ["duration"] = DurationText.Format(cap.Max) };
        }
        else if (UsualDuration(workflow, slots) is { } usual)
        {
            headline += $" You didn't say for how long, so I'm asking for {usual}, the usual. If you need longer, ask again with how long, e.g. \"for 3 days\".";
        }

        var receipt = Message(origin, TicketCards.Ticket(ticket, headline), ticket.Key) with { Id = RequesterCard.ReceiptId(ticket.Key) };
        await engine.StartAsync(workflow, ticket, slots, announce: [receipt], cancellationToken);
        if (OtherRequest(text, workflow) is { } other)
        {
            turn.ReplyEphemeral(AlsoAsked(ticket, workflow, other, origin));
        }
    }

    /// <summary>
    /// The part of a request that starts <paramref name="workflow"/> which asks for something else: "I need a new mouse and
    /// also access to Jira" starts application access, and the mouse is no part of its run, which resolves the ticket when
    /// the access is granted. A clause (split at "and", "also", "plus", "; ", ". ") counts when the classifier does not
    /// take it for the same workflow and keyword triage recognises another team or category in it ("unlock my account"
    /// beside a password reset, "and Confluence" beside GitHub access are the same request). Null when there is none.
    /// </summary>
    internal string? OtherRequest(string text, WorkflowDefinition workflow)
    {
        var clauses = ClauseBreakPattern().Split(text).Select(c => c.Trim(' ', ',', '.', ';', '!')).Where(c => c.Length > 0).ToList();
        if (clauses.Count < 2)
        {
            return null;
        }

        foreach (var clause in clauses)
        {
            if (understanding.Classifier.Classify(clause) is { Top.Intent.Workflow: { } same } understood && same == workflow.Id
                && understanding.Classifier.IsConfident(understood))
            {
                continue;
            }

            var triaged = triage.Classify(clause);
            if (triaged.Recognised && !(string.Equals(triaged.Team, workflow.Team, StringComparison.OrdinalIgnoreCase)
                && string.Equals(triaged.Category, workflow.Category, StringComparison.OrdinalIgnoreCase)))
            {
                return clause;
            }
        }

        return null;
    }

    /// <summary>
    /// Tells the requester that <paramref name="ticket"/> handles only its workflow, with a button that opens the other part
    /// as a request of its own. Offered, not opened: a clause read wrong costs nothing, and one request per message keeps
    /// a replayed turn from opening a second ticket.
    /// </summary>
    private static Card AlsoAsked(Ticket ticket, WorkflowDefinition workflow, string other, ConversationRef origin) => new()
    {
        Title = "Also in your message",
        Text = $"\"{TicketCards.Shorten(other, 120)}\" reads like a request of its own: {ticket.Key} is for {workflow.Name} only. "
            + "Open a request for it here, or tell me about it in a message of its own.",
        // A fresh thread for it (none): the request's thread is the workflow ticket's.
        Buttons = [AwaitedAnswerActionHandler.NewButton(new ConversationRef(origin.Channel, origin.ConversationId), other, addedTo: "", "Open a request for it")],
        Context = ticket.Key,
    };

    /// <summary>
    /// The asked duration and the most the workflow's <c>grant_access</c> steps give (<c>max_duration</c>), when the asked
    /// one is longer: the grant would be cut to the most anyway, and the approver should be asked for what will be granted.
    /// </summary>
    private static (TimeSpan Asked, TimeSpan Max)? CapDuration(WorkflowDefinition workflow, IReadOnlyDictionary<string, string> slots)
    {
        if (!slots.TryGetValue("duration", out var asked) || !DurationText.TryParse(asked, out var duration))
        {
            return null;
        }

        return LeastGrant(workflow, "max_duration") is { } most && duration > most ? (duration, most) : null;
    }

    /// <summary>The least of the workflow's <c>grant_access</c> steps' <paramref name="setting"/>, a duration (<paramref name="unset"/> where a step sets none); null when no step has one.</summary>
    private static TimeSpan? LeastGrant(WorkflowDefinition workflow, string setting, string? unset = null) =>
        workflow.Steps
            .Where(s => s.Kind == StepKind.GrantAccess)
            .Select(s => DurationText.TryParse(s.Get(setting) ?? unset, out var d) ? d : (TimeSpan?)null)
            .Where(d => d is not null)
            .Min();

    /// <summary>
    /// The length of a time-bound request that named an end instead ("until Friday"): from now to the end of that day in
    /// the workflow team's time zone, rounded up to the hour. Null when the request named a length, or no end.
    /// </summary>
    private (TimeSpan Duration, string Described)? UntilDuration(WorkflowDefinition workflow, IReadOnlyDictionary<string, string> slots)
    {
        if (!workflow.Slots.ContainsKey("duration") || slots.ContainsKey("duration") || !slots.TryGetValue("until", out var named))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var end = UntilText.End(named, now, teams.ZoneOf(workflow.Team));
        return (UntilText.Duration(now, end), UntilText.Describe(end));
    }

    /// <summary>
    /// The duration a time-bound workflow grants when the request named none (its <c>grant_access</c> steps'
    /// <c>default_duration</c>, 1d unless set), so the requester learns it at once rather than when the access ends.
    /// </summary>
    private static string? UsualDuration(WorkflowDefinition workflow, IReadOnlyDictionary<string, string> slots)
    {
        if (!workflow.Slots.ContainsKey("duration") || slots.ContainsKey("duration"))
        {
            return null;
        }

        return LeastGrant(workflow, "default_duration", GrantAccessStep.DefaultDuration) is { } usual ? DurationText.Describe(usual) : null;
    }

    /// <summary>
    /// Opens an unassisted ticket for the team's human queue (keyword triage unless the team and category are known). The
    /// receipt is one of the turn's messages, stored with the turn's completion: a turn that runs again after a stop before
    /// it finds the ticket (<see cref="ReplayedTurns"/>) and sends the receipt then, once.
    /// </summary>
    /// <param name="usualPriority">
    /// The priority of the kind of request when it is known (a workflow that is off here: the one its run would have had),
    /// used unless the priority rules' words say otherwise ("urgent", "no rush"). Without it, triage's.
    /// </param>
    public async Task OpenForPeopleAsync(Turn turn, string text, ConversationRef origin, string? team, string? category, CancellationToken cancellationToken, string? usualPriority = null)
    {
        var triaged = triage.Classify(text);
        var priority = usualPriority is not null && !triaged.PriorityWorded ? usualPriority : triaged.Priority;
        var ticket = await tickets.OpenAsync(
            new OpenTicket(team ?? triaged.Team, category ?? triaged.Category, priority, turn.Person.Id, TicketCards.Shorten(text.Trim(), 200), origin) { Delivery = turn.TicketDelivery },
            cancellationToken: cancellationToken);
        var addMore = await existing.OpenedAsync(turn, ticket, cancellationToken);
        turn.Receipt(TicketCards.Logged(ticket, turn.Person.DisplayName, addMore), ticket.Key, origin);
    }

    private async Task OfferArticleAsync(Turn turn, string text, ConversationRef origin, KnowledgeHit hit)
    {
        var id = NewId();
        await pending.AddAsync(new PendingRequest(id, turn.Person.Id, text, origin, hit.Article.Path, null, clock.GetUtcNow()));
        turn.Reply(new Card
        {
            Title = hit.Article.Title,
            Text = hit.Article.Summary(),
            Buttons =
            [
                new CardButton(AutomationActions.Solved, "That solved it", id, ButtonStyle.Primary),
                new CardButton(AutomationActions.OpenTicket, "Open a ticket", id),
            ],
            Context = $"From the knowledge base: {hit.Article.Path}",
        });
    }

    /// <summary>
    /// True when keyword triage recognises a category that none of the "Did you mean…" options belongs to ("my payslip is
    /// wrong" was offered a password reset; "I want to report harassment" would be): the options are guesses, and the
    /// request goes to that category's people instead, as an unsure request always did.
    /// </summary>
    private static bool TriageKnowsBetter(Triage triaged, Understood understood) =>
        triaged.Recognised && !understood.Ranked.Take(AskBackOptions).Any(o => o.Intent.Team == triaged.Team && o.Intent.Category == triaged.Category);

    private async Task AskBackAsync(Turn turn, string text, ConversationRef origin, Understood understood)
    {
        var id = NewId();
        await pending.AddAsync(new PendingRequest(id, turn.Person.Id, text, origin, null, null, clock.GetUtcNow()));
        turn.Reply(new Card
        {
            Title = "Did you mean…",
            Text = "I'm not sure I understood. Which of these is closest?",
            Buttons = [.. understood.Ranked.Take(AskBackOptions).Select(s => new CardButton(AutomationActions.PickIntent, s.Intent.Label, AutomationActions.Value(id, s.Intent.Name))),
                new CardButton(AutomationActions.SomethingElse, "Something else", AutomationActions.Value(id, ""))],
        });
    }

    private OutboundMessage Message(ConversationRef to, Card card, string? ticket) => new()
    {
        Id = NewId(),
        Conversation = to,
        Card = card,
        Ticket = ticket,
        CreatedAt = clock.GetUtcNow(),
    };

    private static string NewId() => Core.Storage.NewId.Next();

    /// <summary>Where a message joins two requests: "and (also)", ", also", "plus", "as well as", a semicolon or a sentence's end (an "Also" after it too).</summary>
    [GeneratedRegex(@",?\s+and\s+also\s+|,?\s+and\s+|,\s*also\s+|\s+plus\s+|,?\s+as\s+well\s+as\s+|;\s*(?:also\s+)?|[.!]\s+(?:also\s+)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseBreakPattern();

    /// <summary>"local admin", "local administrator rights": admin on one's own computer.</summary>
    [GeneratedRegex(@"\blocal\s+admin(istrator)?s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LocalAdminPattern();

    private static partial class Log
    {
        [LoggerMessage(EventId = 5601, Level = LogLevel.Debug, Message = "Understood a request as {Intent} ({Confidence:0.00}, by {Source})")]
        public static partial void Understood(ILogger logger, string intent, double confidence, string source);
    }
}
