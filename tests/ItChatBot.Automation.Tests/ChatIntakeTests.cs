using ItChatBot.Automation.Access;
using ItChatBot.Automation.Chat;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Automation.Tests;

/// <summary>Requests through the real host's router, as the web chat sends them.</summary>
public sealed class ChatIntakeTests : IDisposable
{
    private readonly ItChatBotApp _app = new(new Dictionary<string, string?>
    {
        ["Automation:WorkflowsPath"] = RepoPaths.Workflows,
        ["Automation:KnowledgePath"] = RepoPaths.Knowledge,
    });

    private int _n;

    private ConversationRouter Router => _app.Get<ConversationRouter>();

    private Task<Turn> SayAsync(string person, string text) => Router.RouteAsync(Message(person, $"m{++_n}", text));

    /// <summary>A message in the person's web chat DM, as the web chat hands it to the router (its platform id from its message id).</summary>
    private InboundMessage Message(string person, string id, string text, string? thread = null) => new()
    {
        PlatformId = $"web:{id}",
        Conversation = new ConversationRef("web", $"dm-{person}", thread),
        FromPlatformUserId = person,
        ReceivedAt = _app.Clock.GetUtcNow(),
        MessageId = id,
        Text = text,
    };

    private Task<Turn> CommandAsync(string person, string text) => Router.RouteAsync(new InboundCommand
    {
        PlatformId = $"web:{++_n}",
        Conversation = new ConversationRef("web", $"dm-{person}"),
        FromPlatformUserId = person,
        ReceivedAt = _app.Clock.GetUtcNow(),
        MessageId = $"m{_n}",
        Name = "it",
        Text = text,
    });

    /// <summary>Erin's request as a message in her DM, or as the same text after <c>/it</c> (<see cref="SlashCommand"/>).</summary>
    private Inbound Request(string kind, string id, string text) =>
        kind == "command" ? SlashCommand("erin", $"c-{id}", text) : Message("erin", $"m-{id}", text);

    /// <summary><c>/it &lt;text&gt;</c> shaped as Slack delivers a slash command: no message of its own, so no thread under it.</summary>
    private InboundCommand SlashCommand(string person, string id, string text) => new()
    {
        PlatformId = $"web:{id}",
        Conversation = new ConversationRef("web", $"dm-{person}"),
        FromPlatformUserId = person,
        ReceivedAt = _app.Clock.GetUtcNow(),
        Name = "it",
        Text = text,
    };

    private Task<Turn> PressAsync(string person, Core.Cards.CardButton button, IReadOnlyDictionary<string, string>? inputs = null) =>
        Router.RouteAsync(Press(person, button, inputs));

    /// <summary>A press of a card's button in the person's web chat DM, each with a platform id of its own.</summary>
    private CardAction Press(string person, Core.Cards.CardButton button, IReadOnlyDictionary<string, string>? inputs = null) => new()
    {
        PlatformId = $"web:{++_n}",
        Conversation = new ConversationRef("web", $"dm-{person}"),
        FromPlatformUserId = person,
        ReceivedAt = _app.Clock.GetUtcNow(),
        ActionId = button.ActionId,
        Value = button.Value,
        Inputs = inputs ?? new Dictionary<string, string>(),
    };

    private async Task<IReadOnlyList<Ticket>> TicketsAsync() => await _app.Get<ITicketStore>().QueryAsync(new TicketQuery());

    /// <summary>The person's direct messages as they see them: a card replaced in place shows its latest version where it was first sent.</summary>
    private async Task<IReadOnlyList<OutboundMessage>> ConversationAsync(string person)
    {
        var shown = new List<OutboundMessage>();
        foreach (var message in (await _app.Get<IOutbox>().ListConversationAsync("web", $"dm-{person}", 0)).Select(e => e.Message))
        {
            var at = message.UpdateOf is { } earlier ? shown.FindIndex(m => m.Id == earlier) : -1;
            if (at >= 0)
            {
                shown[at] = message with { Id = shown[at].Id, UpdateOf = null };
            }
            else
            {
                shown.Add(message);
            }
        }

        return shown;
    }

    [Fact]
    public async Task A_strong_article_is_offered_and_That_solved_it_records_a_deflection_without_a_ticket()
    {
        var turn = await SayAsync("erin", "how do I connect to the VPN from home");

        var offer = Assert.Single(turn.Replies).Card;
        Assert.Equal("Connecting to the VPN", offer.Title);
        Assert.Equal(["That solved it", "Open a ticket"], offer.Buttons.Select(b => b.Label));

        await PressAsync("erin", offer.Buttons[0]);
        var again = await PressAsync("erin", offer.Buttons[0]);

        Assert.Empty(await TicketsAsync());
        var deflected = await _app.EventLog.ReadAllAsync().Where(e => e.Type == EventType.Deflected).ToListAsync();
        var single = Assert.Single(deflected);
        Assert.Null(single.Ticket);
        Assert.Equal(("erin", "IT", "vpn", "vpn-setup.md"), (single.Actor, single.Get(EventData.Team), single.Get(EventData.Category), single.Get(EventData.Article)));
        Assert.Equal("Already answered", Assert.Single(again.Replies).Card.Title);
    }

    [Fact]
    public async Task A_reply_under_an_offered_article_opens_the_ticket_for_the_request_and_the_offer_can_no_longer_deflect()
    {
        var offer = Assert.Single((await SayAsync("erin", "how do I connect to the VPN from home")).Replies);

        var reply = await Router.RouteAsync(Message("erin", "m-reply", "I tried all of that and it still fails", offer.Conversation.ThreadId));

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("IT", "vpn", "how do I connect to the VPN from home"), (ticket.Team, ticket.Category, ticket.Subject));
        Assert.Equal(ticket.Key, await _app.Get<ITicketStore>().FindTicketByThreadAsync(offer.Conversation));
        Assert.Contains(reply.Replies, r => r.Ticket == ticket.Key);
        var solved = await PressAsync("erin", offer.Card.Buttons[0]);
        Assert.Equal("Already answered", Assert.Single(solved.Replies).Card.Title);
        Assert.DoesNotContain(await _app.EventLog.ReadAllAsync().ToListAsync(), e => e.Type == EventType.Deflected);
    }

    [Fact]
    public async Task That_solved_it_after_a_ticket_was_opened_in_the_offers_thread_records_no_deflection()
    {
        var offer = Assert.Single((await SayAsync("erin", "how do I connect to the VPN from home")).Replies);
        var opened = await _app.Get<TicketService>().OpenAsync(new OpenTicket("IT", "vpn", "P3", "erin", "VPN from home", offer.Conversation));

        var solved = await PressAsync("erin", offer.Card.Buttons[0]);

        var answer = Assert.Single(solved.Replies);
        Assert.NotNull(answer.EphemeralTo);
        Assert.Contains(opened.Key, answer.Card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await _app.EventLog.ReadAllAsync().ToListAsync(), e => e.Type == EventType.Deflected);
    }

    [Theory]
    [InlineData("message", "hi")]
    [InlineData("message", "can someone help me please?")]
    [InlineData("message", "what can you do?")]
    [InlineData("command", "hello")]
    public async Task A_greeting_asks_what_is_needed_says_what_the_bot_does_itself_and_opens_no_ticket(string kind, string text)
    {
        var turn = kind == "command" ? await CommandAsync("erin", text) : await SayAsync("erin", text);

        Assert.Empty(await TicketsAsync());
        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Equal("What do you need?", reply.Card.Title);
        var names = _app.Get<WorkflowCatalog>().All.Select(w => w.Name).Order(StringComparer.Ordinal);
        Assert.Contains($"I can do these myself: {string.Join(", ", names)}.", reply.Card.Text, StringComparison.Ordinal);
        Assert.Contains($"I also answer questions from {_app.Get<ItChatBot.Automation.Knowledge.KnowledgeBase>().Count} help articles.", reply.Card.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("thanks!")]
    [InlineData("Thank you so much")]
    [InlineData("many thanks :)")]
    [InlineData("thx")]
    public async Task Thanks_are_answered_as_thanks_and_open_no_ticket(string text)
    {
        var turn = await SayAsync("erin", text);

        Assert.Empty(await TicketsAsync());
        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Equal("You're welcome", reply.Card.Title);
    }

    [Theory]
    [InlineData("thanks, that fixed it")]
    [InlineData("works now")]
    [InlineData("all sorted, cheers")]
    public async Task A_confirmation_written_as_a_new_message_is_answered_and_opens_no_ticket(string text)
    {
        // Before: each opened a ticket named after it.
        var turn = await SayAsync("erin", text);

        Assert.Empty(await TicketsAsync());
        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Equal("Glad it works", reply.Card.Title);
    }

    [Fact]
    public async Task A_question_in_the_words_of_a_confirmation_is_not_answered_as_one()
    {
        var turn = await SayAsync("erin", "is it fixed?");

        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Glad it works");
    }

    [Theory]
    [InlineData("open a ticket")] // was taken for an access request: "which application?"
    [InlineData("I want to raise a ticket")] // opened a ticket named "I want to raise a ticket"
    [InlineData("can you log a request for me please")]
    [InlineData("I have an issue")]
    [InlineData("I'd like to open a new support case")]
    public async Task Asking_to_open_a_ticket_without_saying_what_for_is_asked_what_is_needed(string text)
    {
        var turn = await SayAsync("erin", text);

        Assert.Empty(await TicketsAsync());
        var reply = Assert.Single(turn.Replies);
        Assert.Equal("What do you need?", reply.Card.Title);
    }

    [Theory]
    [InlineData("open a ticket, my monitor flickers")]
    [InlineData("I have an issue with the printer")]
    [InlineData("log in")]
    [InlineData("I can't open the file share")]
    public void A_message_that_says_what_it_is_about_is_no_empty_request(string text) => Assert.False(EmptyRequest.IsOnly(text));

    [Fact]
    public async Task Who_is_working_on_my_request_is_answered_with_the_persons_requests()
    {
        await SayAsync("erin", "my monitor keeps flickering");

        var turn = await SayAsync("erin", "who is working on my request?");

        Assert.Single(await TicketsAsync());
        Assert.Equal("Your open requests (1)", Assert.Single(turn.Replies).Card.Title);
    }

    [Fact]
    public async Task A_pasted_error_log_opens_a_ticket_instead_of_failing()
    {
        // Hundreds of distinct words made the knowledge-base search fail, and the request with it ("Something went wrong").
        var text = "Outlook crashes when it starts, here is the log: " + string.Join(' ', Enumerable.Range(0, 700).Select(i => $"frame{i} at Module{i}.Method"));

        var turn = await SayAsync("erin", text);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("IT", "email"), (ticket.Team, ticket.Category));
        Assert.Contains("your request is logged", Assert.Single(turn.Replies).Card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_a_ticket_after_an_article_opens_it_for_the_team()
    {
        var offer = Assert.Single((await SayAsync("erin", "how do I connect to the VPN from home")).Replies).Card;

        await PressAsync("erin", offer.Buttons[1]);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("IT", "vpn", "erin"), (ticket.Team, ticket.Category, ticket.Requester));
        Assert.DoesNotContain(await _app.EventLog.ReadAllAsync().ToListAsync(), e => e.Type == EventType.Deflected);
    }

    [Fact]
    public async Task A_button_press_whose_turn_runs_again_opens_one_ticket()
    {
        var offer = Assert.Single((await SayAsync("erin", "how do I connect to the VPN from home")).Replies).Card;
        var press = Press("erin", offer.Buttons[1]);

        await Router.RouteAsync(press);
        var replayed = await Router.RouteAsync(press);

        var ticket = Assert.Single(await TicketsAsync());
        var reply = Assert.Single(replayed.Replies);
        Assert.Equal(ticket.Key, reply.Ticket);
        Assert.Contains("your request is logged with the IT team", reply.Card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_button_press_stopped_after_it_answered_the_question_opens_its_ticket_when_it_runs_again()
    {
        // The stop came between the press's first write (the question marked answered, by this press) and its ticket:
        // the press runs again and does what it was pressed for, where "Already answered" would lose the request.
        var offer = Assert.Single((await SayAsync("erin", "how do I connect to the VPN from home")).Replies).Card;
        var press = Press("erin", offer.Buttons[1]);
        Assert.True(await _app.Get<PendingRequestStore>().TryUseAsync(AutomationActions.Parse(press.Value).PendingId, press.PlatformId));

        var replayed = await Router.RouteAsync(press);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("IT", "vpn", "erin"), (ticket.Team, ticket.Category, ticket.Requester));
        Assert.DoesNotContain(replayed.Replies, r => r.Card.Title == "Already answered");
        // The receipt is one of the turn's messages, stored with its completion: a stop before that stores none, and the
        // run that completes sends one.
        var receipt = Assert.Single(replayed.Replies, r => r.Ticket == ticket.Key);
        Assert.Contains("your request is logged with the IT team", receipt.Card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_else_cannot_answer_a_question_asked_of_the_requester()
    {
        var offer = Assert.Single((await SayAsync("erin", "how do I connect to the VPN from home")).Replies).Card;

        var turn = await PressAsync("frank", offer.Buttons[0]);

        Assert.Equal("That button isn't yours", Assert.Single(turn.Replies).Card.Title);
        Assert.NotNull(Assert.Single(turn.Replies).EphemeralTo);
        Assert.DoesNotContain(await _app.EventLog.ReadAllAsync().ToListAsync(), e => e.Type == EventType.Deflected);
    }

    [Fact]
    public async Task A_confident_request_opens_its_ticket_and_the_workflow_resolves_it()
    {
        await SayAsync("erin", "I forgot my password");

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal((TicketStatus.Resolved, "password"), (ticket.Status, ticket.Category));
        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(await _app.EventLog.ReadTicketAsync(ticket.Key)));
        var messages = await ConversationAsync("erin");
        Assert.Equal(2, messages.Count);
        // Once the workflow has resolved it, the receipt says so: "I'm handling this" above "Status: Resolved" read as if
        // something were still going on.
        Assert.Contains("Thanks Erin Employee, this is done: Password reset.", messages[0].Card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("I'm handling this", messages[0].Card.Text, StringComparison.Ordinal);
        Assert.Equal("Your password was reset", messages[1].Card.Title);
        // The receipt was replaced in place as the ticket moved: it shows the request resolved, with nothing to withdraw.
        Assert.Contains(new CardField("Status", "Resolved"), messages[0].Card.Fields);
        Assert.Equal(["Refresh"], messages[0].Card.Buttons.Select(b => b.Label));
    }

    [Theory]
    [InlineData("message")]
    [InlineData("command")]
    public async Task A_request_whose_turn_runs_again_starts_its_workflow_once(string kind)
    {
        // A turn runs again when the process stopped after its first writes and before its completion.
        var request = Request(kind, "replayed", "I forgot my password");

        await Router.RouteAsync(request);
        var replayed = await Router.RouteAsync(request);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Single(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key));
        Assert.Single(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.WorkflowStarted);
        Assert.Empty(replayed.Replies);
        Assert.Equal(2, (await ConversationAsync("erin")).Count);
    }

    [Theory]
    [InlineData("message")]
    [InlineData("command")]
    public async Task A_request_whose_ticket_was_stored_before_its_workflow_was_is_answered_with_that_ticket_for_people(string kind)
    {
        // The state a stop leaves between the ticket's write and the run's: the ticket linked where the first run links
        // it (the thread under a message, a command's delivery), no run. The ticket alone does not say which handler
        // opened it, so the replay does not guess a workflow: it answers with the ticket, which stays in its team's
        // queue, and opens no second one.
        var request = Request(kind, "stopped", "I forgot my password");
        var (origin, delivery) = request is InboundCommand
            ? (request.Conversation, request.PlatformId)
            : (request.Conversation.InThread(request.MessageId!), null);
        var opened = await _app.Get<TicketService>().OpenAsync(
            new OpenTicket("IT", "password", "P3", "erin", "I forgot my password", origin) { Delivery = delivery });

        var replayed = await Router.RouteAsync(request);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(opened.Key, ticket.Key);
        Assert.True(ticket.IsOpen);
        Assert.Empty(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key));
        var reply = Assert.Single(replayed.Replies);
        Assert.Equal(opened.Key, reply.Ticket);
        Assert.Contains("your request is logged with the IT team", reply.Card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_it_command_goes_through_the_automation_too()
    {
        await CommandAsync("erin", "please reset my password, I'm locked out");

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Contains(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.WorkflowStarted);
    }

    [Fact]
    public async Task An_unsure_request_asks_back_and_Something_else_opens_an_unassisted_ticket()
    {
        var card = Assert.Single((await SayAsync("erin", "I have a problem with my account")).Replies).Card;

        Assert.Equal(4, card.Buttons.Count);
        Assert.Equal(AutomationActions.PickIntent, card.Buttons[0].ActionId);
        Assert.Equal("Something else", card.Buttons[^1].Label);
        Assert.Empty(await TicketsAsync());

        await PressAsync("erin", card.Buttons[^1]);

        var ticket = Assert.Single(await TicketsAsync());
        var events = await _app.EventLog.ReadTicketAsync(ticket.Key);
        Assert.DoesNotContain(events, e => e.Type == EventType.WorkflowStarted);
        Assert.True(ticket.IsOpen);
    }

    [Fact]
    public async Task Picking_an_intent_starts_its_workflow()
    {
        var card = Assert.Single((await SayAsync("erin", "I have a problem with my account")).Replies).Card;
        var reset = card.Buttons.Single(b => b.Value.EndsWith("|password-reset", StringComparison.Ordinal));

        await PressAsync("erin", reset);

        Assert.Equal(TicketStatus.Resolved, Assert.Single(await TicketsAsync()).Status);
    }

    [Fact]
    public async Task A_request_the_automation_does_not_recognise_is_left_to_keyword_triage()
    {
        var turn = await SayAsync("erin", "the coffee machine is broken");

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Contains("your request is logged", Assert.Single(turn.Replies).Card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.WorkflowStarted);
    }

    [Fact]
    public async Task Access_without_an_application_asks_which_then_waits_for_the_manager_in_the_thread()
    {
        var ask = Assert.Single((await SayAsync("erin", "need access to an application")).Replies).Card;
        Assert.Equal("Application access: which application?", ask.Title);

        await PressAsync("erin", ask.Buttons.Single(b => b.Label == "GitHub"));
        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(TicketStatus.PendingApproval, ticket.Status);
        var approval = (await ConversationAsync("dave")).Single(m => m.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal)).Card;
        // The requester's thread says whom it waits for; the manager decides on their own copy.
        var waiting = (await ConversationAsync("erin")).Single(m => m.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal)).Card;
        Assert.Empty(waiting.Buttons);
        Assert.Contains("Waiting for Dave Manager to decide", waiting.Context, StringComparison.Ordinal);

        var refused = await PressAsync("frank", approval.Buttons[0]);
        Assert.Equal("You can't decide this approval", Assert.Single(refused.Replies).Card.Title);
        var self = await PressAsync("erin", approval.Buttons[0]);
        Assert.Contains("cannot approve it yourself", Assert.Single(self.Replies).Card.Text, StringComparison.Ordinal);
        Assert.Empty(_app.Get<EmbeddedDirectoryConnector>().Members("app-github-users"));

        await PressAsync("dave", approval.Buttons[0], new Dictionary<string, string> { ["reason"] = "needed for the new project" });

        Assert.Equal(["erin"], _app.Get<EmbeddedDirectoryConnector>().Members("app-github-users"));
        var events = await _app.EventLog.ReadTicketAsync(ticket.Key);
        var decided = Assert.Single(events, e => e.Type == EventType.ApprovalDecided);
        Assert.Equal(("dave", "approved", "needed for the new project"), (decided.Actor, decided.Get(EventData.Decision), decided.Get(EventData.Reason)));
        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(events));
    }

    [Fact]
    public async Task Access_asked_for_a_time_is_granted_for_that_time_after_approval_and_revoked_at_its_end()
    {
        await SayAsync("erin", "I need access to Figma for 7 days");

        var ticket = Assert.Single(await TicketsAsync());
        var run = Assert.Single(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key));
        Assert.Equal("temporary-access", run.Workflow);
        Assert.Contains(await ConversationAsync("erin"), m => m.Card.Text?.Contains("I'm handling this: Time-bound application access", StringComparison.Ordinal) == true);
        var approval = (await ConversationAsync("dave")).Single(m => m.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal)).Card;
        // The approver sees for how long.
        Assert.Equal("Erin Employee asks for access to Figma for 7 days.", approval.Text);
        Assert.Empty(_app.Get<EmbeddedDirectoryConnector>().Members("app-figma-users"));

        await PressAsync("dave", approval.Buttons[0]);

        Assert.Equal(["erin"], _app.Get<EmbeddedDirectoryConnector>().Members("app-figma-users"));
        var granted = Assert.Single(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.AccessGranted);
        var expiresAt = _app.Clock.GetUtcNow() + TimeSpan.FromDays(7);
        Assert.Equal(("figma", "member", expiresAt.ToUniversalTime()), (granted.Get(EventData.Resource), granted.Get(EventData.Role), granted.GetTime(EventData.ExpiresAt)));
        Assert.Contains(await ConversationAsync("erin"), m => m.Card.Text?.StartsWith("You have access to Figma until", StringComparison.Ordinal) == true);

        // The host's own revocation worker wakes on the same fake clock and may revoke it first: either way it goes, once.
        _app.Clock.Advance(TimeSpan.FromDays(7));
        await _app.Get<RevocationService>().RevokeDueAsync();
        for (var attempt = 0; attempt < 50 && _app.Get<EmbeddedDirectoryConnector>().Members("app-figma-users").Count > 0; attempt++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(_app.Get<EmbeddedDirectoryConnector>().Members("app-figma-users"));
        Assert.Single(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.AccessRevoked);
    }

    [Fact]
    public async Task Access_asked_for_longer_than_the_workflow_grants_is_asked_for_and_granted_at_its_most_and_the_requester_is_told()
    {
        await SayAsync("erin", "I need access to Figma for 60 days");

        var ticket = Assert.Single(await TicketsAsync());
        var receipt = (await ConversationAsync("erin")).Single(m => m.Card.Text?.Contains("I'm handling this", StringComparison.Ordinal) == true).Card;
        Assert.Contains("You asked for 60 days; the most this grants is 30 days, so that is what I'm asking for.", receipt.Text, StringComparison.Ordinal);
        var approval = (await ConversationAsync("dave")).Single(m => m.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal)).Card;
        Assert.Equal("Erin Employee asks for access to Figma for 30 days.", approval.Text);

        await PressAsync("dave", approval.Buttons[0]);

        var granted = Assert.Single(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.AccessGranted);
        Assert.Equal((_app.Clock.GetUtcNow() + TimeSpan.FromDays(30)).ToUniversalTime(), granted.GetTime(EventData.ExpiresAt));
    }

    [Theory]
    [InlineData("request access to Workday for 2 days", "Erin Employee asks for access to Workday for 2 days.")]
    [InlineData("please add me to Jira for a week", "Erin Employee asks for access to Jira for 7 days.")]
    [InlineData("temporarily add me to NetSuite", "Erin Employee asks for access to NetSuite for 1 day.")]
    public async Task Access_worded_like_a_lasting_request_but_asked_for_a_time_is_time_bound_and_never_lasting(string text, string asked)
    {
        // Each is worded like an app-access example; the duration (or "temporarily") decides. Lasting access would
        // drop what was asked and leave the access in place after it.
        await SayAsync("erin", text);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal("temporary-access", Assert.Single(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key)).Workflow);
        var approval = (await ConversationAsync("dave")).Single(m => m.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal)).Card;
        Assert.Equal(asked, approval.Text);
    }

    [Theory]
    [InlineData("my payslip is wrong this month", "HR", "payroll")]
    [InlineData("I want to report harassment by my manager", "HR", "general")]
    [InlineData("can you reset my MFA?", "IT", "password")]
    public async Task A_request_keyword_triage_recognises_goes_to_its_people_rather_than_a_guessed_workflow(string text, string team, string category)
    {
        // Before: "my payslip is wrong" was asked "Did you mean… Password reset?", and "reset my MFA" ran the password reset.
        var turn = await SayAsync("erin", text);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal((team, category), (ticket.Team, ticket.Category));
        Assert.Empty(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key));
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Did you mean…");
    }

    [Theory]
    [InlineData("I think I clicked a phishing link")]
    [InlineData("I entered my password on a fake login page, please help")]
    [InlineData("I think my account was compromised, I got a password reset I didn't ask for")]
    [InlineData("I lost my badge")] // was offered the printer article, whose keyword is "badge release"
    [InlineData("someone is tailgating into the office")] // started time-bound access to Microsoft Office
    public async Task A_security_incident_goes_to_security_at_once_with_no_article_or_workflow_first(string text)
    {
        // Before: the phishing article ("…if you already clicked a link, tell Security") was offered and nobody was told;
        // "compromised … password reset" could run the password reset.
        var turn = await SayAsync("erin", text);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("Security", "incident", "P2"), (ticket.Team, ticket.Category, ticket.Priority));
        Assert.Empty(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key));
        Assert.DoesNotContain(turn.Replies, m => m.Card.Buttons.Any(b => b.Label == "That solved it"));
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Did you mean…");
    }

    [Theory]
    // Each was asked "Did you mean… <that category> / Something else": one press that told the person nothing.
    [InlineData("I'm starting parental leave next month, what do I need to do", "HR", "leave")]
    [InlineData("the supplier says we haven't paid their invoice", "Finance", "invoices")]
    public async Task A_request_whose_only_guess_is_one_category_opens_there_without_a_question(string text, string team, string category)
    {
        var turn = await SayAsync("erin", text);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal((team, category), (ticket.Team, ticket.Category));
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Did you mean…");
    }

    [Theory]
    // Was asked "Did you mean… Application access / Time-bound application access / Software install".
    [InlineData("excel keeps crashing when I open large files")]
    [InlineData("zoom keeps crashing, can you reinstall it")]
    [InlineData("photoshop freezes every time I export a file")]
    public async Task An_app_that_crashes_or_freezes_is_a_software_fault_for_people_not_an_access_request_or_install(string text)
    {
        var turn = await SayAsync("erin", text);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("IT", "software"), (ticket.Team, ticket.Category));
        Assert.Empty(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key));
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Did you mean…");
    }

    [Fact]
    public async Task An_urgent_request_is_not_asked_did_you_mean_but_opened_at_once_as_p1()
    {
        // Before: "Did you mean… HR: payroll / Something else", and no ticket until someone pressed a button.
        var turn = await SayAsync("erin", "urgent: payroll system is down for everyone");

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal("P1", ticket.Priority);
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Did you mean…");
    }

    [Fact]
    public async Task A_message_asking_for_bank_details_is_a_phishing_report_for_security()
    {
        // Before: "Did you mean… IT: email", and a ticket for IT's email queue when picked.
        var turn = await SayAsync("erin", "I got a weird email asking me to confirm my bank details");

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("Security", "phishing"), (ticket.Team, ticket.Category));
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Did you mean…");
    }

    [Theory]
    [InlineData("I need a new monitor")] // was asked "Did you mean" password reset, device enrollment or onboarding
    [InlineData("new keyboard and mouse please")]
    [InlineData("I need a new phone")] // was offered "Moving MFA to a new phone" and no ticket
    public async Task A_hardware_request_goes_to_it_hardware_with_no_question_or_workflow(string text)
    {
        var turn = await SayAsync("erin", text);

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal(("IT", "hardware", "erin", text), (ticket.Team, ticket.Category, ticket.Requester, ticket.Subject));
        Assert.Empty(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key));
        Assert.DoesNotContain(turn.Replies, m => m.Card.Title == "Did you mean…");
        Assert.DoesNotContain(turn.Replies, m => m.Card.Context?.Contains("knowledge base", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_status_question_is_answered_with_the_ticket_or_the_persons_requests_and_opens_nothing()
    {
        await SayAsync("erin", "my monitor keeps flickering");
        await SayAsync("frank", "the docking station is dead");
        var tickets = await TicketsAsync();
        var erins = tickets.Single(t => t.Requester == "erin");
        var franks = tickets.Single(t => t.Requester == "frank");

        // Before: each of these opened a ticket named after it ("where is my request" was asked which application).
        var mine = Assert.Single((await SayAsync("erin", "any update on my ticket?")).Replies);
        var one = Assert.Single((await SayAsync("erin", $"is {erins.Key} fixed yet")).Replies);
        var command = Assert.Single((await Router.RouteAsync(SlashCommand("erin", "c-where", "where is my request"))).Replies);
        var others = Assert.Single((await SayAsync("erin", $"status of {franks.Key}?")).Replies);
        var missing = Assert.Single((await SayAsync("erin", "what is happening with IT-999?")).Replies);

        Assert.Equal(2, (await TicketsAsync()).Count);
        Assert.Equal("Your open requests (1)", mine.Card.Title);
        Assert.Contains(erins.Key, mine.Card.Table!.Rows.Select(r => r[0]));
        Assert.Equal(mine.Card.Title, command.Card.Title);
        Assert.StartsWith($"{erins.Key}: my monitor keeps flickering", one.Card.Title, StringComparison.Ordinal);
        Assert.Contains("not yours to see", others.Card.Text, StringComparison.Ordinal);
        Assert.Contains("There is no ticket IT-999", missing.Card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_about_phishing_is_still_answered_from_the_knowledge_base()
    {
        var turn = await SayAsync("erin", "how do I report a phishing email?");

        Assert.Contains(turn.Replies, m => m.Card.Buttons.Any(b => b.Label == "That solved it") && m.Card.Context!.Contains("phishing", StringComparison.Ordinal));
        Assert.Empty(await TicketsAsync());
    }

    [Fact]
    public async Task Time_bound_access_asked_for_no_length_says_the_usual_length_in_the_receipt()
    {
        await SayAsync("erin", "I need temporary access to Figma");
        await SayAsync("frank", "I need access to Figma for 3 days");

        string Receipt(IEnumerable<OutboundMessage> messages) =>
            messages.Single(m => m.Card.Text?.Contains("I'm handling this", StringComparison.Ordinal) == true).Card.Text!;
        Assert.Contains("You didn't say for how long, so I'm asking for 1 day, the usual. If you need longer, ask again with how long",
            Receipt(await ConversationAsync("erin")), StringComparison.Ordinal);
        Assert.DoesNotContain("You didn't say", Receipt(await ConversationAsync("frank")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_bound_access_until_a_day_is_asked_for_until_that_days_end_and_granted_so()
    {
        // Monday 2 March 09:00 in London (the IT team's zone): the end of Friday is 111 hours away.
        await SayAsync("erin", "can I get temporary access to Figma until Friday");

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal("temporary-access", Assert.Single(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key)).Workflow);
        var receipt = (await ConversationAsync("erin")).Single(m => m.Card.Text?.Contains("I'm handling this", StringComparison.Ordinal) == true).Card;
        Assert.Contains("Until the end of Fri 6 Mar is 111 hours from now, so that is what I'm asking for.", receipt.Text, StringComparison.Ordinal);
        var approval = (await ConversationAsync("dave")).Single(m => m.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal)).Card;
        Assert.Equal("Erin Employee asks for access to Figma for 111 hours.", approval.Text);

        await PressAsync("dave", approval.Buttons[0]);

        var granted = Assert.Single(await _app.EventLog.ReadTicketAsync(ticket.Key), e => e.Type == EventType.AccessGranted);
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero), granted.GetTime(EventData.ExpiresAt));
        // Told in words and the team's time zone, not as "2026-03-07T00:00:00.0000000+00:00 (UTC)".
        Assert.Contains(await ConversationAsync("erin"), m => m.Card.Text == "You have access to Figma until Sat 7 Mar 00:00 Europe/London. It is removed automatically then.");
    }

    [Fact]
    public async Task Admin_rights_on_my_laptop_are_local_admin_and_not_asked_which_application()
    {
        // Before: "Time-bound admin access: which application?" with GitHub, Jira … to pick from.
        var turn = await SayAsync("erin", "I need admin rights on my laptop for 2 hours to install a driver");

        Assert.DoesNotContain(turn.Replies, m => m.Card.Title.Contains("which application", StringComparison.Ordinal));
        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal("temporary-admin", Assert.Single(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key)).Workflow);
        var approval = (await ConversationAsync("dave")).Single(m => m.Card.Title.StartsWith("Approval needed", StringComparison.Ordinal)).Card;
        Assert.Equal("Erin Employee asks for admin rights on Workstation (local admin) for 2 hours.", approval.Text);

        // "local admin" says the same without naming the computer: admin rights, not time-bound application access.
        await SayAsync("henry", "I need local admin for an hour");
        var henrys = (await TicketsAsync()).Single(t => t.Requester == "henry");
        var local = Assert.Single(await _app.Get<WorkflowRunStore>().ForTicketAsync(henrys.Key));
        Assert.Equal(("temporary-admin", "local-admin"), (local.Workflow, local.Slots["application"]));

        // Naming an application still means that application.
        await SayAsync("frank", "I need admin rights on AWS from my laptop for 2 hours");
        var franks = (await TicketsAsync()).Single(t => t.Requester == "frank");
        var runs = await _app.Get<WorkflowRunStore>().ForTicketAsync(franks.Key);
        Assert.Equal("aws", Assert.Single(runs).Slots["application"]);
    }

    [Fact]
    public async Task Access_asked_for_no_time_is_lasting_access()
    {
        await SayAsync("erin", "I need access to Figma");

        var ticket = Assert.Single(await TicketsAsync());
        Assert.Equal("app-access", Assert.Single(await _app.Get<WorkflowRunStore>().ForTicketAsync(ticket.Key)).Workflow);
    }

    [Theory]
    [InlineData("I need admin rights on AWS for 0 hours", "for 0 hours")]
    [InlineData("temporary admin access to GitHub for -2 days", "for -2 days")]
    [InlineData("I need admin access to Datadog until yesterday", "until yesterday")]
    public async Task Time_bound_access_for_no_time_or_ending_in_the_past_is_refused_when_asked_and_opens_nothing(string text, string quoted)
    {
        var turn = await SayAsync("erin", text);

        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Equal("Time-bound admin access: how long?", reply.Card.Title);
        Assert.StartsWith($"\"{quoted}\" is not a time I can grant access for", reply.Card.Text, StringComparison.Ordinal);
        Assert.Empty(await TicketsAsync());
        Assert.Empty(await _app.EventLog.ReadAllAsync().ToListAsync());
    }

    [Fact]
    public async Task A_malformed_button_value_is_answered_with_the_expected_form_and_changes_nothing()
    {
        var turn = await PressAsync("dave", new Core.Cards.CardButton(ApprovalCards.Approve, "Approve", "not-a-run"));

        Assert.Contains("should look like r-IT-1-1|0", Assert.Single(turn.Replies).Card.Text, StringComparison.Ordinal);
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    public void Dispose() => _app.Dispose();
}
