using ItChatBot.Core.Queues;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

public sealed class AgentVerbTests
{
    [Fact]
    public async Task Claim_assigns_the_agent_starts_work_tells_the_requester_and_updates_the_card_in_place()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");

        var replies = await app.SendAsync("alice", $"/it claim {ticket.Key}");

        var claimed = await app.TicketAsync(ticket.Key);
        Assert.Equal("alice", claimed.Assignee);
        Assert.Equal(TicketStatus.InProgress, claimed.Status);
        Assert.Contains(replies, m => m.Ephemeral && m.Text.Contains("Alice Agent claimed", StringComparison.Ordinal));
        Assert.Contains(await app.ConversationAsync("dm-erin", "erin"), m => m.Thread == thread && m.Text.Contains("Alice Agent from the IT team", StringComparison.Ordinal));
        var queue = await app.ConversationAsync("queue-it", "alice");
        var update = Assert.Single(queue, m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        // Named as the directory names her, on the queue card and in the tables agents and requesters see.
        Assert.Contains("Assignee: Alice Agent", update.Text, StringComparison.Ordinal);
        var mine = Assert.Single(await app.SendAsync("alice", "/it mine"));
        Assert.Contains("| Alice Agent |", mine.Text, StringComparison.Ordinal);
        var status = Assert.Single(await app.SendAsync("erin", $"/it status {ticket.Key}"));
        Assert.Contains("Assignee: Alice Agent", status.Text, StringComparison.Ordinal);
        var open = Assert.Single(await app.SendAsync("erin", "/it status"));
        Assert.Contains("Alice Agent", open.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "reply {0} your monitor is ordered", "reply in {0}'s queue thread to answer its requester")] // opened "reply IT-1 …" as a ticket
    [InlineData("alice", "close {0}", "Use: /it resolve KEY [note]")]
    [InlineData("alice", "pending {0} waiting for delivery", "Use: /it wait KEY")]
    [InlineData("alice", "reslove {0} replaced the cable", "Use: /it resolve KEY [note]")]
    [InlineData("alice", "frobnicate {0}", "Use: /it help lists the commands")]
    [InlineData("frank", "cancel {0}", "Use: {0}'s requester withdraws it with \"I no longer need this\" on its card")] // someone else's request: opened a ticket named after it
    public async Task A_command_on_a_ticket_with_a_word_that_is_no_verb_is_refused_and_opens_nothing(string person, string command, string hint)
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var events = await app.Get<IEventLog>().CountAsync();

        var reply = Assert.Single(await app.SendAsync(person, "/it " + string.Format(System.Globalization.CultureInfo.InvariantCulture, command, ticket.Key), conversation: person == "alice" ? "queue-it" : null));

        Assert.True(reply.Ephemeral);
        Assert.Contains($"/it {command.Split(' ')[0]} is not a command, so nothing was done with {ticket.Key}.", reply.Text, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, hint, ticket.Key), reply.Text, StringComparison.Ordinal);
        Assert.Equal(events, await app.Get<IEventLog>().CountAsync());
    }

    [Theory]
    [InlineData("alice", "close", "Use: /it resolve KEY [note]")] // opened a ticket named "close"
    [InlineData("alice", "pending", "Use: /it wait KEY")]
    [InlineData("alice", "reslove", "Use: /it resolve KEY [note]")]
    [InlineData("alice", "reply", "Use: reply in the ticket's queue thread to answer its requester")]
    [InlineData("erin", "cancel", "Use: a request's requester withdraws it with \"I no longer need this\" on its card; /it status lists your open requests.")]
    [InlineData("erin", "show", "Use: /it status")]
    public async Task A_lone_word_meant_as_a_verb_is_refused_and_opens_nothing(string person, string word, string hint)
    {
        using var app = new QueueApp();
        var events = await app.Get<IEventLog>().CountAsync();

        var reply = Assert.Single(await app.SendAsync(person, "/it " + word));

        Assert.True(reply.Ephemeral);
        Assert.Contains($"/it {word} is not a command, so nothing was opened.", reply.Text, StringComparison.Ordinal);
        Assert.Contains(hint, reply.Text, StringComparison.Ordinal);
        Assert.Equal(events, await app.Get<IEventLog>().CountAsync());
    }

    [Theory]
    [InlineData("erin", "close")] // the verb it means is the agents'
    [InlineData("erin", "repo")] // spelt within two letters of "reopen", and only an agent's misspelling is taken for one
    [InlineData("alice", "headset")]
    public async Task A_lone_word_that_is_no_verb_for_the_person_is_still_a_request(string person, string word)
    {
        using var app = new QueueApp();

        var replies = await app.SendAsync(person, "/it " + word);

        var ticket = Assert.Single(await app.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        Assert.Equal(word, ticket.Subject);
        Assert.Contains(replies, m => m.Ticket == ticket.Key);
    }

    [Fact]
    public async Task The_requester_naming_their_own_ticket_after_a_word_adds_to_it_and_anyone_may_still_open_a_request_naming_a_ticket()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        var replies = await app.SendAsync("erin", $"/it meanwhile {ticket.Key} went black for good");
        var opened = await app.SendAsync("frank", $"/it laptop {ticket.Key} broke again, mine does the same");

        Assert.StartsWith($"{ticket.Key}\nAdded to {ticket.Key}", Assert.Single(replies, m => m.Ephemeral).Text, StringComparison.Ordinal);
        Assert.Contains(replies, m => m.Conversation == "queue-it" && m.Text.StartsWith($"Erin Employee replied on {ticket.Key}\nmeanwhile {ticket.Key} went black for good", StringComparison.Ordinal));
        Assert.Contains(opened, m => m.Ticket is { } key && key != ticket.Key);
    }

    [Fact]
    public async Task An_employee_s_mine_and_status_list_their_open_requests_and_those_resolved_in_the_last_seven_days()
    {
        using var app = new QueueApp();
        var (old, _) = await app.OpenAsync("the docking station is dead");
        await app.SendAsync("alice", $"/it resolve {old.Key} new dock");
        app.Clock.Advance(TimeSpan.FromDays(8));
        var (recent, _) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it resolve {recent.Key} replaced the cable");
        var (open, _) = await app.OpenAsync("keyboard missing keys");

        // An employee has nothing assigned: "/it mine" is their own requests, not a refusal.
        var mine = Assert.Single(await app.SendAsync("erin", "/it mine"));
        var status = Assert.Single(await app.SendAsync("erin", "/it status"));

        Assert.True(mine.Ephemeral);
        Assert.Equal(status.Text, mine.Text);
        Assert.Equal("Your open requests (1)", mine.Title);
        Assert.Contains($"\n{open.Key} | ", mine.Text, StringComparison.Ordinal);
        Assert.Contains($"Resolved in the last 7 days: {recent.Key} my laptop screen is flickering (", mine.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(old.Key, mine.Text, StringComparison.Ordinal);
        // An agent's "/it mine" is still what is assigned to them.
        var alices = Assert.Single(await app.SendAsync("alice", "/it mine"));
        Assert.Equal("Assigned to you", alices.Title);
        // A resolved ticket's card says when, and names who resolved it: nobody had it, so resolving it made it theirs.
        var card = Assert.Single(await app.SendAsync("erin", $"/it status {old.Key}"));
        Assert.Contains("Assignee: Alice Agent", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("not yet assigned", card.Text, StringComparison.Ordinal);
        Assert.Contains($"{old.Key} · opened ", card.Text, StringComparison.Ordinal);
        Assert.Contains(" · resolved ", card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_gives_the_tickets_agents_the_queue_card_and_the_requester_their_ticket_card()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        var agent = Assert.Single(await app.ActAsync("alice", TicketActions.Status, ticket.Key, conversation: "queue-it"));
        var requester = Assert.Single(await app.ActAsync("erin", TicketActions.Status, ticket.Key));

        Assert.True(agent.Ephemeral);
        Assert.StartsWith($"{ticket.Key} · P3 ·", agent.Text, StringComparison.Ordinal);
        Assert.Contains("SLA: Response", agent.Text, StringComparison.Ordinal);
        Assert.StartsWith($"{ticket.Key}: my laptop screen is flickering", requester.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("SLA:", requester.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_waiting_on_its_requester_says_so_to_agents_and_admins_and_waiting_on_you_to_the_requester()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it claim {ticket.Key}");

        await app.SendAsync("alice", $"/it wait {ticket.Key}");

        var card = (await app.ConversationAsync("queue-it", "alice")).Last(m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Status: Waiting on requester", card.Text, StringComparison.Ordinal);
        Assert.Contains("| Waiting on requester |", Assert.Single(await app.SendAsync("alice", "/it mine")).Text, StringComparison.Ordinal);
        Assert.Contains("Status: Waiting on you", Assert.Single(await app.SendAsync("erin", $"/it status {ticket.Key}")).Text, StringComparison.Ordinal);
        Assert.Contains("| Waiting on you |", Assert.Single(await app.SendAsync("erin", "/it status")).Text, StringComparison.Ordinal);
        // An admin may look at any ticket; it is not waiting on them, and only the requester can withdraw it.
        var admin = Assert.Single(await app.SendAsync("admin", $"/it status {ticket.Key}"));
        Assert.Contains("Status: Waiting on requester", admin.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(TicketActions.Withdraw, admin.Html, StringComparison.Ordinal);
        Assert.Contains(TicketActions.Withdraw, Assert.Single(await app.SendAsync("erin", $"/it status {ticket.Key}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_by_button_works_like_the_verb_and_a_second_claim_by_another_agent_is_refused()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        await app.ActAsync("alice", QueueActions.Claim, ticket.Key, conversation: "queue-it", thread: QueueIds.WebThread(ticket.Key, "IT"));
        var refused = await app.ActAsync("bob", QueueActions.Claim, ticket.Key, conversation: "queue-it");

        Assert.Equal("alice", (await app.TicketAsync(ticket.Key)).Assignee);
        var refusal = Assert.Single(refused);
        Assert.True(refusal.Ephemeral);
        Assert.Contains("already claimed by Alice Agent", refusal.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_takes_a_mention_and_only_agents_of_the_team_can_be_assigned()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");

        await app.SendAsync("alice", $"/it assign {ticket.Key} @bob");
        Assert.Equal("bob", (await app.TicketAsync(ticket.Key)).Assignee);

        var count = (await app.EventsAsync(ticket.Key)).Count;
        var refused = await app.SendAsync("alice", $"/it assign {ticket.Key} @sam");
        Assert.Contains("not an agent of the IT team", Assert.Single(refused).Text, StringComparison.Ordinal);
        var unknown = await app.SendAsync("alice", $"/it assign {ticket.Key} @nobody");
        Assert.Contains("Nobody in the directory is @nobody", Assert.Single(unknown).Text, StringComparison.Ordinal);
        Assert.Equal(count, (await app.EventsAsync(ticket.Key)).Count);

        await app.ActAsync("carol", QueueActions.Assign, ticket.Key, input: "@alice");
        Assert.Equal("alice", (await app.TicketAsync(ticket.Key)).Assignee);
    }

    [Fact]
    public async Task Escalation_to_the_next_tier_and_to_another_team_records_who_and_where()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it claim {ticket.Key}");

        await app.SendAsync("alice", $"/it escalate {ticket.Key}");
        var l2 = await app.TicketAsync(ticket.Key);
        Assert.Equal(("L2", "IT", null), (l2.Tier, l2.Team, l2.Assignee));

        await app.SendAsync("bob", $"/it escalate {ticket.Key} Security");
        var moved = await app.TicketAsync(ticket.Key);
        Assert.Equal(("L1", "Security", null), (moved.Tier, moved.Team, moved.Assignee));

        var escalations = (await app.EventsAsync(ticket.Key)).Where(e => e.Type == EventType.Escalated).ToList();
        Assert.Equal(2, escalations.Count);
        Assert.Equal(("alice", ActorKind.Agent, "L1", "L2", "IT", "IT"), (escalations[0].Actor, escalations[0].ActorKind,
            escalations[0].Get(EventData.FromTier), escalations[0].Get(EventData.ToTier), escalations[0].Get(EventData.FromTeam), escalations[0].Get(EventData.ToTeam)));
        Assert.Equal(("bob", "L2", "L1", "IT", "Security"), (escalations[1].Actor,
            escalations[1].Get(EventData.FromTier), escalations[1].Get(EventData.ToTier), escalations[1].Get(EventData.FromTeam), escalations[1].Get(EventData.ToTeam)));

        // The Security queue has the card now; the IT card says where it went; the requester was told.
        Assert.Contains(await app.ConversationAsync("queue-sec", "sam"), m => m.Id == QueueIds.PostMessage(ticket.Key, "Security", "web"));
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.UpdateOf == QueueIds.PostMessage(ticket.Key, "IT", "web") && m.Text.Contains("Escalated from IT", StringComparison.Ordinal));
        Assert.Contains(await app.ConversationAsync("dm-erin", "erin"), m => m.Thread == thread && m.Text.Contains("the Security team", StringComparison.Ordinal));

        // Now only Security agents may act on it.
        var refused = await app.SendAsync("alice", $"/it claim {ticket.Key}");
        Assert.Contains("Only agents of the Security team", Assert.Single(refused).Text, StringComparison.Ordinal);
        await app.SendAsync("sam", $"/it claim {ticket.Key}");
        Assert.Equal("sam", (await app.TicketAsync(ticket.Key)).Assignee);
    }

    [Fact]
    public async Task Escalating_past_the_top_tier_or_to_an_unknown_team_is_refused_and_changes_nothing()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it escalate {ticket.Key} L3");
        var count = (await app.EventsAsync(ticket.Key)).Count;

        Assert.Contains("already at L3, the top tier", Assert.Single(await app.SendAsync("alice", $"/it escalate {ticket.Key}")).Text, StringComparison.Ordinal);
        Assert.Contains("only be escalated to a higher tier", Assert.Single(await app.SendAsync("alice", $"/it escalate {ticket.Key} L2")).Text, StringComparison.Ordinal);
        Assert.Contains("neither a tier (L2, L3) nor a team", Assert.Single(await app.SendAsync("alice", $"/it escalate {ticket.Key} Marketing")).Text, StringComparison.Ordinal);
        Assert.Equal(count, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Theory]
    [InlineData("erin", "claim {0}")]
    [InlineData("sam", "claim {0}")]
    [InlineData("dave", "assign {0} @alice")]
    [InlineData("sam", "escalate {0} L2")]
    [InlineData("erin", "resolve {0} done")]
    [InlineData("sam", "wait {0}")]
    [InlineData("erin", "priority {0} P1")]
    [InlineData("sam", "category {0} network")]
    public async Task Only_agents_of_the_tickets_team_may_work_it(string person, string verb)
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        var count = (await app.EventsAsync(ticket.Key)).Count;

        var replies = await app.SendAsync(person, "/it " + string.Format(System.Globalization.CultureInfo.InvariantCulture, verb, ticket.Key));

        var refusal = Assert.Single(replies);
        Assert.True(refusal.Ephemeral);
        Assert.Contains("Only agents of the IT team", refusal.Text, StringComparison.Ordinal);
        Assert.Equal(count, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Theory]
    [InlineData("/it claim", "Which ticket?")]
    [InlineData("/it claim banana", "'banana' is not a ticket key")]
    [InlineData("/it claim IT-1 now", "'now' was not expected")]
    [InlineData("/it assign IT-1", "Assign to whom?")]
    [InlineData("/it assign IT-1 bob", "is not a mention")]
    [InlineData("/it priority IT-1 P9", "'P9' is not a priority")]
    [InlineData("/it priority IT-1", "Which priority?")]
    [InlineData("/it category IT-1", "Which category?")]
    [InlineData("/it category IT-1 new hardware", "is not one category")]
    [InlineData("/it escalate IT-1 L2 now", "is not one tier or team")]
    [InlineData("/it wait IT-99", "There is no ticket IT-99")]
    public async Task Malformed_verbs_answer_what_was_wrong_and_the_correct_form_and_store_nothing(string command, string problem)
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        Assert.Equal("IT-1", ticket.Key);
        var count = (await app.EventsAsync(ticket.Key)).Count;

        var reply = Assert.Single(await app.SendAsync("alice", command));

        Assert.True(reply.Ephemeral);
        Assert.Contains(problem, reply.Text, StringComparison.Ordinal);
        Assert.Equal(count, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Fact]
    public async Task Queue_and_mine_list_open_tickets_for_agents_and_refuse_everyone_else()
    {
        using var app = new QueueApp();
        var (first, _) = await app.OpenAsync("my laptop screen is flickering");
        var (second, _) = await app.OpenAsync("the wifi is down for everyone");
        await app.SendAsync("alice", $"/it claim {first.Key}");

        var queue = Assert.Single(await app.SendAsync("bob", "/it queue"));
        Assert.Contains("IT queue (2 open)", queue.Text, StringComparison.Ordinal);
        // Most urgent first: the P1 outage before the P3 screen.
        Assert.True(queue.Text.IndexOf(second.Key, StringComparison.Ordinal) < queue.Text.IndexOf(first.Key, StringComparison.Ordinal));
        Assert.Contains("left", queue.Text, StringComparison.Ordinal);

        var mine = Assert.Single(await app.SendAsync("alice", "/it mine"));
        Assert.Contains(first.Key, mine.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Key, mine.Text, StringComparison.Ordinal);

        Assert.Contains("Only support agents", Assert.Single(await app.SendAsync("erin", "/it queue")).Text, StringComparison.Ordinal);
        Assert.Contains("Only agents of the Security team", Assert.Single(await app.SendAsync("alice", "/it queue Security")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_narrows_to_unassigned_waiting_breached_or_one_priority_and_filters_combine()
    {
        using var app = new QueueApp();
        var (screen, _) = await app.OpenAsync("my laptop screen is flickering");
        var (outage, _) = await app.OpenAsync("the wifi is down for everyone");
        var (fan, _) = await app.OpenAsync("my laptop fan is very loud");
        await app.SendAsync("alice", $"/it claim {screen.Key}");
        await app.SendAsync("alice", $"/it wait {screen.Key}");
        string Queue(string arguments) => Assert.Single(app.SendAsync("bob", $"/it queue {arguments}").GetAwaiter().GetResult()).Text;

        var unassigned = Queue("unassigned");
        Assert.Contains("IT queue · unassigned (2 open)", unassigned, StringComparison.Ordinal);
        Assert.DoesNotContain(screen.Key, unassigned, StringComparison.Ordinal);
        Assert.Contains($"\n{screen.Key} | ", Queue("waiting"), StringComparison.Ordinal);
        Assert.Contains("IT queue · waiting (1 open)", Queue("IT waiting"), StringComparison.Ordinal);
        var p1 = Queue("p1 unassigned");
        Assert.Contains("IT queue · P1 · unassigned (1 open)", p1, StringComparison.Ordinal);
        Assert.Contains($"\n{outage.Key} | ", p1, StringComparison.Ordinal);
        Assert.Equal("IT queue · P2\nNo open ticket in the IT queue is P2.", Queue("P2"));

        // Monday 09:00: the P1 outage's first response is due in 15 minutes, the P3s' in 4 hours. An hour on, only the P1's is breached.
        app.Clock.Advance(TimeSpan.FromHours(1));
        var breached = Queue("breached");
        Assert.Contains($"\n{outage.Key} | ", breached, StringComparison.Ordinal);
        Assert.DoesNotContain(fan.Key, breached, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/it queue soon", "'soon' is neither a team (IT, Security, HR, Finance) nor a filter (unassigned, waiting, breached, P1 to P4).")]
    [InlineData("/it queue P5", "'P5' is neither a team")]
    [InlineData("/it queue IT Security", "'IT' and 'Security' are two teams; name one.")]
    public async Task A_queue_filter_that_is_not_one_says_what_is(string command, string problem)
    {
        using var app = new QueueApp();

        var reply = Assert.Single(await app.SendAsync("alice", command));

        Assert.True(reply.Ephemeral);
        Assert.Contains(problem, reply.Text, StringComparison.Ordinal);
        Assert.Contains("/it queue [TEAM] [unassigned|waiting|breached|P1..P4]", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Re_prioritising_is_an_event_and_the_card_follows_the_new_priority()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        Assert.Equal("P3", ticket.Priority);

        await app.SendAsync("alice", $"/it priority {ticket.Key} p1");

        var changed = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.PriorityChanged);
        Assert.Equal(("alice", "P1", "P3"), (changed.Actor, changed.Get(EventData.Priority), changed.Get(QueueEventData.FromPriority)));
        Assert.Equal("P1", (await app.TicketAsync(ticket.Key)).Priority);
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.UpdateOf is not null && m.Title.Contains("P1", StringComparison.Ordinal));
        Assert.Contains("already P1", Assert.Single(await app.SendAsync("alice", $"/it priority {ticket.Key} P1")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Re_categorising_is_an_event_within_the_team_s_categories_and_the_card_follows()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        Assert.Equal("hardware", ticket.Category);

        var reply = Assert.Single(await app.SendAsync("alice", $"/it category {ticket.Key} Network"), m => m.Ephemeral);

        Assert.Contains($"{ticket.Key} is now in network", reply.Text, StringComparison.Ordinal);
        var changed = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.CategoryChanged);
        Assert.Equal(("alice", "network", "hardware"), (changed.Actor, changed.Get(EventData.Category), changed.Get(QueueEventData.FromCategory)));
        Assert.Equal("network", (await app.TicketAsync(ticket.Key)).Category);
        Assert.Contains(await app.ConversationAsync("queue-it", "alice"), m => m.UpdateOf is not null && m.Text.Contains("Category: network", StringComparison.Ordinal));

        // Not the team's category, or the one it has: refused, with the categories to choose from, and nothing stored.
        var count = (await app.EventsAsync(ticket.Key)).Count;
        var unknown = Assert.Single(await app.SendAsync("alice", $"/it category {ticket.Key} payroll"));
        Assert.Contains("'payroll' is not a category of the IT team; use one of access, password, hardware", unknown.Text, StringComparison.Ordinal);
        Assert.Contains("already in network", Assert.Single(await app.SendAsync("alice", $"/it category {ticket.Key} network")).Text, StringComparison.Ordinal);
        Assert.Equal(count, (await app.EventsAsync(ticket.Key)).Count);
    }

    [Fact]
    public async Task Status_shows_agents_the_queue_card_with_the_time_left_and_the_requester_their_own_card()
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("the VPN is down for everyone");
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        var agentView = Assert.Single(await app.SendAsync("bob", $"/it status {ticket.Key}"));
        Assert.Contains("Response 10m left, due Mon 2 Mar 09:15", agentView.Text, StringComparison.Ordinal);
        Assert.Contains($"data-action-id=\"{QueueActions.Claim}\"", agentView.Html, StringComparison.Ordinal);
        // Answered in bob's DM, not in the queue thread: the footer says where to answer the requester.
        Assert.EndsWith("answer the requester in the ticket's queue thread (begin with note: to keep it among agents)", agentView.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("reply in this thread", agentView.Text, StringComparison.Ordinal);

        var requesterView = Assert.Single(await app.SendAsync("erin", $"/it status {ticket.Key}"));
        Assert.DoesNotContain(QueueActions.Claim, requesterView.Html, StringComparison.Ordinal);
    }
}
