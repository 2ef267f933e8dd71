using System.Net;
using System.Text.Json;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using ItChatBot.Testing;

namespace ItChatBot.Slack.Tests;

/// <summary>
/// An approval on Slack through the real host and the fake Slack API: the card in the request's thread calls on the
/// approvers (<c>&lt;@U…&gt;</c>), each approver gets it in a DM, Approve opens a reason modal, and the decision
/// replaces every copy in place. Demo directory: erin asks, dave (her manager) and Security (sam, sarah) may approve.
/// </summary>
public sealed class ApprovalInSlackTests : IDisposable
{
    private const string ErinDm = "D0ERIN";
    private const string HelpChannel = "C0HELPIT";
    private const string DaveDm = "D0DAVE";
    private const string RequestTs = "1772442000.000001";
    private const string ThreadCopyTs = "1772442100.000001";
    private const string DaveCopyTs = "1772442100.000002";

    private readonly SlackTestApp _slack = new(
        arrange: slack =>
        {
            slack.AnswerWhen("conversations.open", "users=UDAVE", new { ok = true, channel = new { id = DaveDm } });
            slack.AnswerWhen("chat.postMessage", $"\"channel\":\"{ErinDm}\"", new { ok = true, channel = ErinDm, ts = ThreadCopyTs });
            slack.AnswerWhen("chat.postMessage", $"\"channel\":\"{DaveDm}\"", new { ok = true, channel = DaveDm, ts = DaveCopyTs });
            slack.AnswerWhen("chat.update", $"\"channel\":\"{ErinDm}\"", new { ok = true, channel = ErinDm, ts = ThreadCopyTs });
            slack.AnswerWhen("chat.update", $"\"channel\":\"{DaveDm}\"", new { ok = true, channel = DaveDm, ts = DaveCopyTs });
        },
        settings: new Dictionary<string, string?>
        {
            ["Demo:SeedDirectory"] = "true",
            ["Automation:WorkflowsPath"] = Path.Combine(RepositoryRoot.Path, "workflows"),
        });

    public void Dispose() => _slack.Dispose();

    [Fact]
    public async Task The_request_goes_to_the_thread_mentioning_the_approvers_and_to_each_approvers_dm()
    {
        // Asked in a channel the approvers may read (a mention of the bot there): they are called on in the thread.
        var run = await StartAsync(HelpChannel);

        var thread = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{HelpChannel}\"", StringComparison.Ordinal)));
        Assert.Equal(RequestTs, thread.GetProperty("thread_ts").GetString());
        var blocks = thread.GetProperty("blocks").Strings();
        Assert.Contains("<@UDAVE>", blocks, StringComparison.Ordinal);
        Assert.Contains("<@USAM>", blocks, StringComparison.Ordinal);
        Assert.Contains("<@USARAH>", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("<@UERIN>", blocks, StringComparison.Ordinal);
        // The card names people as the directory does, not by their ids.
        Assert.Contains("Erin Employee", blocks, StringComparison.Ordinal);
        Assert.Contains("Dave Manager, members of Security", blocks, StringComparison.Ordinal);

        // Dave's copy: conversations.open with his Slack id, then a top-level post (no thread) in that DM.
        await _slack.Slack.WaitForCallAsync("conversations.open", c => FakeSlack.Form(c).GetValueOrDefault("users") == "UDAVE");
        var dm = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal)));
        Assert.False(dm.TryGetProperty("thread_ts", out _));
        Assert.Contains("You are asked to approve this for Erin Employee.", dm.GetProperty("blocks").Strings(), StringComparison.Ordinal);
        Assert.Contains("Dave Manager, members of Security", dm.GetProperty("blocks").Strings(), StringComparison.Ordinal);
        Assert.NotNull(ApproveButton(dm));
        foreach (var user in (string[])["USAM", "USARAH"])
        {
            await _slack.Slack.WaitForCallAsync("conversations.open", c => FakeSlack.Form(c).GetValueOrDefault("users") == user);
        }

        // Both buttons ask for the reason in a modal, so the message carries no second box to type in.
        Assert.DoesNotContain(thread.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("type").GetString() == "input");
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, (await _slack.App.Get<WorkflowRunStore>().GetAsync(run.Id))!.Status);
    }

    [Fact]
    public async Task In_the_requesters_dm_the_thread_copy_waits_with_no_buttons_or_mentions_and_the_approvers_get_theirs()
    {
        // Before: erin's own DM showed Approve and Deny (a press was refused) and mentioned approvers who are not in it.
        await StartAsync();

        var thread = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{ErinDm}\"", StringComparison.Ordinal)));
        var blocks = thread.GetProperty("blocks");
        Assert.Equal(RequestTs, thread.GetProperty("thread_ts").GetString());
        Assert.Null(ApproveButton(thread));
        Assert.DoesNotContain(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() is "actions" or "input");
        Assert.DoesNotContain("<@UDAVE>", blocks.Strings(), StringComparison.Ordinal);
        Assert.Contains("Waiting for Dave Manager, members of Security to decide", blocks.Strings(), StringComparison.Ordinal);
        var dm = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal)));
        Assert.NotNull(ApproveButton(dm));
    }

    [Fact]
    public async Task Approve_opens_a_reason_modal_whose_submission_decides_and_updates_every_copy_in_place()
    {
        var run = await StartAsync();
        var dm = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal)));
        await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{ErinDm}\"", StringComparison.Ordinal));
        var approve = ApproveButton(dm)!.Value;

        var click = await _slack.Driver.PostInteractionAsync(Click(approve, "UDAVE", DaveDm, DaveCopyTs, "trigger-dave-1"));

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var open = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("views.open"));
        Assert.Equal("trigger-dave-1", open.GetProperty("trigger_id").GetString());
        var view = open.GetProperty("view");
        Assert.Equal(SlackCardInputForm.CallbackId, view.GetProperty("callback_id").GetString());
        var metadata = view.GetProperty("private_metadata").GetString()!;
        Assert.Contains(run.Id, metadata, StringComparison.Ordinal);
        var input = view.GetProperty("blocks")[0];
        Assert.Equal("plain_text_input", input.GetProperty("element").GetProperty("type").GetString());
        Assert.True(input.GetProperty("optional").GetBoolean());
        Assert.Empty(await EventsAsync(run.Ticket, EventType.ApprovalDecided));

        var submit = await _slack.Driver.PostInteractionAsync(Submission("UDAVE", metadata, "fine for the migration week"));

        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        Assert.Equal("", await submit.Content.ReadAsStringAsync());
        var threadUpdate = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.update", c => Body(c).Contains($"\"channel\":\"{ErinDm}\"", StringComparison.Ordinal)));
        var dmUpdate = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.update", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal)));
        Assert.Equal(ThreadCopyTs, threadUpdate.GetProperty("ts").GetString());
        Assert.Equal(DaveCopyTs, dmUpdate.GetProperty("ts").GetString());
        foreach (var update in (JsonElement[])[threadUpdate, dmUpdate])
        {
            var text = update.GetProperty("blocks").Strings();
            Assert.Contains("Approved by", text, StringComparison.Ordinal);
            Assert.Contains("Dave Manager", text, StringComparison.Ordinal);
            Assert.Contains("2026-03-02 09:00 UTC", text, StringComparison.Ordinal);
            Assert.Contains("fine for the migration week", text, StringComparison.Ordinal);
            Assert.Contains($"Next: done: {run.Ticket} is resolved.", text, StringComparison.Ordinal);
            Assert.DoesNotContain(update.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");
        }

        var decided = Assert.Single(await EventsAsync(run.Ticket, EventType.ApprovalDecided));
        Assert.Equal("dave", decided.Actor);
        Assert.Equal("fine for the migration week", decided.Get(EventData.Reason));
        var audited = Assert.Single(await _slack.App.Get<IAuditLog>().ReadSubjectAsync(run.Ticket), e => e.Action == AuditActions.ApprovalDecided);
        Assert.Equal("fine for the migration week", audited.Data["reason"]);
        Assert.Equal("dave", audited.Actor);
    }

    [Fact]
    public async Task A_submission_for_an_approval_already_decided_gets_an_error_in_the_modal_and_changes_nothing()
    {
        var run = await StartAsync();
        var dm = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal)));
        await _slack.Driver.PostInteractionAsync(Click(ApproveButton(dm)!.Value, "UDAVE", DaveDm, DaveCopyTs, "trigger-dave-2"));
        var metadata = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("views.open")).GetProperty("view").GetProperty("private_metadata").GetString()!;
        await _slack.Driver.PostInteractionAsync(Submission("UDAVE", metadata, "ok"));
        await Eventually.TrueAsync(async () => (await EventsAsync(run.Ticket, EventType.ApprovalDecided)).Count == 1, "the first decision");
        var stored = _slack.StoredEnvelopes;

        // The same modal submitted again (a second open modal, a double submit) is stale now.
        var again = await _slack.Driver.PostInteractionAsync(Submission("UDAVE", metadata, "ok again", "trigger-again"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var answer = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("errors", answer.GetProperty("response_action").GetString());
        Assert.Contains("was already given; nothing was changed", answer.GetProperty("errors").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(stored, _slack.StoredEnvelopes);
        Assert.Single(await EventsAsync(run.Ticket, EventType.ApprovalDecided));
    }

    [Theory]
    [InlineData("not json at all", "lost track of which card it belongs to")]
    [InlineData("{\"Action\":\"approval.approve\"}", "lost track of which card it belongs to")]
    [InlineData("{\"Action\":\"nuke.everything\",\"Value\":\"x\",\"Channel\":\"D0DAVE\",\"Input\":\"reason\",\"Required\":false}", "'nuke.everything', which this app does not know")]
    [InlineData("{\"Action\":\"approval.approve\",\"Value\":\"r-IT-404-1|0\",\"Channel\":\"D0DAVE\",\"Input\":\"reason\",\"Required\":false}", "There is no workflow run r-IT-404-1")]
    [InlineData("{\"Action\":\"approval.approve\",\"Value\":\"no-bar\",\"Channel\":\"D0DAVE\",\"Input\":\"reason\",\"Required\":false}", "does not name a workflow approval")]
    public async Task A_submission_with_bad_metadata_gets_an_error_in_the_modal_and_stores_nothing(string metadata, string problem)
    {
        var run = await StartAsync();
        var stored = _slack.StoredEnvelopes;

        var response = await _slack.Driver.PostInteractionAsync(Submission("UDAVE", metadata, "ok"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("errors", answer.GetProperty("response_action").GetString());
        Assert.Contains(problem, answer.GetProperty("errors").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(stored, _slack.StoredEnvelopes);
        Assert.Empty(await EventsAsync(run.Ticket, EventType.ApprovalDecided));
    }

    [Fact]
    public async Task An_approvers_question_in_their_cards_thread_reaches_the_requester_and_the_answer_comes_back_to_their_dm()
    {
        var run = await StartAsync();
        await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal));
        var decisions = (await EventsAsync(run.Ticket, EventType.ApprovalDecided)).Count;

        // Dave replies in the thread of the approval card in his DM (the card's post linked that thread to the ticket).
        await _slack.Driver.PostEventAsync(SlackDriver.Callback("EvASK1", new()
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = DaveDm, ["user"] = "UDAVE",
            ["text"] = "why do you need admin for a whole week?", ["ts"] = "1772442200.000001", ["thread_ts"] = DaveCopyTs, ["event_ts"] = "1772442200.000001",
        }));

        var asked = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage",
            c => Body(c).Contains($"\"channel\":\"{ErinDm}\"", StringComparison.Ordinal) && Body(c).Contains("why do you need admin", StringComparison.Ordinal)));
        Assert.Equal(RequestTs, asked.GetProperty("thread_ts").GetString());
        Assert.Contains($"Dave Manager asks about {run.Ticket}", asked.GetProperty("blocks").Strings(), StringComparison.Ordinal);
        var toDave = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral", c => Body(c).Contains("UDAVE", StringComparison.Ordinal)));
        Assert.Contains($"Erin Employee has your message in {run.Ticket}'s thread", toDave.GetProperty("blocks").Strings(), StringComparison.Ordinal);

        // Erin answers in her request's thread: Dave gets it in his DM, the decision still his.
        await _slack.Driver.PostEventAsync(SlackDriver.Callback("EvANSWER1", new()
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = ErinDm, ["user"] = "UERIN",
            ["text"] = "the release runs all week, I need it until Friday", ["ts"] = "1772442300.000001", ["thread_ts"] = RequestTs, ["event_ts"] = "1772442300.000001",
        }));

        var answer = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage",
            c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal) && Body(c).Contains("the release runs all week", StringComparison.Ordinal)));
        Assert.False(answer.TryGetProperty("thread_ts", out _));
        Assert.Contains($"Erin Employee wrote on {run.Ticket}", answer.GetProperty("blocks").Strings(), StringComparison.Ordinal);
        // Erin is told who has it: on the ticket's card when her message also put the card in the queue, privately when the
        // card was there already. Either can happen here: StartAsync opens the ticket before its run starts, and a pass of
        // the SLA monitor in between posts the card of a ticket nobody works on.
        await Eventually.TrueAsync(() => _slack.Slack.Calls("chat.postMessage").Concat(_slack.Slack.Calls("chat.postEphemeral")).Any(c =>
            Body(c).Contains($"\"channel\":\"{ErinDm}\"", StringComparison.Ordinal) && Body(c).Contains("\"thread_ts\":\"" + RequestTs, StringComparison.Ordinal)
            && Body(c).Contains("Dave Manager", StringComparison.Ordinal) && Body(c).Contains("your message", StringComparison.Ordinal)), "Erin told that Dave has her message");
        Assert.Equal(decisions, (await EventsAsync(run.Ticket, EventType.ApprovalDecided)).Count);
        Assert.Equal(WorkflowRunStatus.WaitingForApproval, (await _slack.App.Get<WorkflowRunStore>().GetAsync(run.Id))!.Status);
    }

    [Fact]
    public async Task Approved_typed_in_the_thread_of_the_approvers_card_decides_it_with_the_rest_as_its_reason()
    {
        // Before, "approved" there went to Erin as Dave's question while the approval went on waiting.
        var run = await StartAsync();
        await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal));

        await _slack.Driver.PostEventAsync(SlackDriver.Callback("EvDECIDE1", new()
        {
            ["type"] = "message", ["channel_type"] = "im", ["channel"] = DaveDm, ["user"] = "UDAVE",
            ["text"] = "Approved - ok for the release week", ["ts"] = "1772442200.000002", ["thread_ts"] = DaveCopyTs, ["event_ts"] = "1772442200.000002",
        }));

        await Eventually.TrueAsync(async () => (await EventsAsync(run.Ticket, EventType.ApprovalDecided)).Count == 1, "the decision");
        var decided = Assert.Single(await EventsAsync(run.Ticket, EventType.ApprovalDecided));
        Assert.Equal(("dave", "approved", "ok for the release week"), (decided.Actor, decided.Get(EventData.Decision), decided.Get(EventData.Reason)));
        // Dave's card is replaced in place; nothing went to Erin as a question.
        await _slack.Slack.WaitForCallAsync("chat.update", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal));
        Assert.DoesNotContain(_slack.Slack.Calls("chat.postMessage"), c => Body(c).Contains("asks about", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_who_may_not_decide_is_refused_at_the_click_without_a_modal_and_audited()
    {
        // In a channel thread erin sees the buttons too.
        var run = await StartAsync(HelpChannel);
        var thread = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{HelpChannel}\"", StringComparison.Ordinal)));

        await _slack.Driver.PostInteractionAsync(Click(ApproveButton(thread)!.Value, "UERIN", HelpChannel, ThreadCopyTs, "trigger-erin"));

        var ephemeral = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral"));
        Assert.Equal("UERIN", ephemeral.GetProperty("user").GetString());
        Assert.Contains("You asked for this, so you cannot approve it yourself.", ephemeral.GetProperty("blocks").Strings(), StringComparison.Ordinal);
        Assert.Contains(await _slack.App.Get<IAuditLog>().ReadSubjectAsync(run.Ticket), e => e.Action == AuditActions.ApprovalRefused && e.Actor == "erin");
        Assert.Empty(_slack.Slack.Calls("views.open"));
        Assert.Empty(await EventsAsync(run.Ticket, EventType.ApprovalDecided));
    }

    [Fact]
    public async Task A_modal_submitted_by_someone_who_may_not_decide_is_refused_privately_and_audited()
    {
        var run = await StartAsync();
        var dm = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => Body(c).Contains($"\"channel\":\"{DaveDm}\"", StringComparison.Ordinal)));
        await _slack.Driver.PostInteractionAsync(Click(ApproveButton(dm)!.Value, "UDAVE", DaveDm, DaveCopyTs, "trigger-dave-3"));
        var metadata = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("views.open")).GetProperty("view").GetProperty("private_metadata").GetString()!;

        // The metadata of dave's modal, submitted as erin (a replayed or forged submission): the handler's gate refuses it.
        await _slack.Driver.PostInteractionAsync(Submission("UERIN", metadata, "approving my own"));

        var ephemeral = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral"));
        Assert.Equal("UERIN", ephemeral.GetProperty("user").GetString());
        Assert.Contains("You asked for this, so you cannot approve it yourself.", ephemeral.GetProperty("blocks").Strings(), StringComparison.Ordinal);
        Assert.Contains(await _slack.App.Get<IAuditLog>().ReadSubjectAsync(run.Ticket), e => e.Action == AuditActions.ApprovalRefused && e.Actor == "erin");
        Assert.Empty(await EventsAsync(run.Ticket, EventType.ApprovalDecided));
    }

    [Fact]
    public async Task Cancel_run_on_the_agents_queue_card_opens_a_modal_that_requires_a_reason_then_records_the_override()
    {
        var run = await StartAsync();
        await _slack.Driver.PostCommandAsync("/it", $"status {run.Ticket}", user: "UALICE", channel: "C0QUEUE");
        var card = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral", c => Body(c).Contains("UALICE", StringComparison.Ordinal)));
        var cancel = card.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray())
            .Single(e => e.GetProperty("text").GetProperty("text").GetString() == "Cancel run");
        Assert.StartsWith("override.cancel#ask:1:", cancel.GetProperty("action_id").GetString(), StringComparison.Ordinal);

        await _slack.Driver.PostInteractionAsync(Click(cancel, "UALICE", "C0QUEUE", "1772442200.000001", "trigger-alice"));
        var view = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("views.open")).GetProperty("view");
        var input = view.GetProperty("blocks")[0];
        Assert.False(input.GetProperty("optional").GetBoolean());
        var metadata = view.GetProperty("private_metadata").GetString()!;
        var block = input.GetProperty("block_id").GetString()!;
        var stored = _slack.StoredEnvelopes;

        var empty = await _slack.Driver.PostInteractionAsync(Submission("UALICE", metadata, "   ", block: block));

        var answer = JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("errors", answer.GetProperty("response_action").GetString());
        Assert.Contains("This needs a reason", answer.GetProperty("errors").GetProperty(block).GetString(), StringComparison.Ordinal);
        Assert.Equal(stored, _slack.StoredEnvelopes);

        var submitted = await _slack.Driver.PostInteractionAsync(Submission("UALICE", metadata, "handled on a call", "trigger-alice-2", block));

        Assert.Equal("", await submitted.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => (await EventsAsync(run.Ticket, EventType.Overridden)).Count == 1, "the override");
        var overridden = Assert.Single(await EventsAsync(run.Ticket, EventType.Overridden));
        Assert.Equal("alice", overridden.Actor);
        Assert.Equal("handled on a call", overridden.Get(EventData.Reason));
        await Eventually.TrueAsync(
            async () => (await _slack.App.Get<IAuditLog>().ReadSubjectAsync(run.Ticket)).Any(e => e.Action == AuditActions.Overridden && e.Data.GetValueOrDefault("reason") == "handled on a call"),
            "the override's audit entry");
    }

    [Fact]
    public async Task Cancel_run_clicked_by_someone_who_is_not_an_agent_of_the_team_is_refused_at_once_and_audited()
    {
        var run = await StartAsync();
        var button = JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            action_id = "override.cancel#ask:1:queue-input:Reason (required)",
            value = $"{run.Ticket}|{run.Id}",
        })).RootElement;

        await _slack.Driver.PostInteractionAsync(Click(button, "UERIN", ErinDm, ThreadCopyTs, "trigger-erin-override"));

        var ephemeral = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral"));
        Assert.Equal("UERIN", ephemeral.GetProperty("user").GetString());
        Assert.Contains("Only agents of the IT team can override automation", ephemeral.GetProperty("blocks").Strings(), StringComparison.Ordinal);
        Assert.Contains(await _slack.App.Get<IAuditLog>().ReadSubjectAsync(run.Ticket), e => e.Action == AuditActions.OverrideRefused && e.Actor == "erin");
        Assert.Empty(_slack.Slack.Calls("views.open"));
        Assert.Empty(await EventsAsync(run.Ticket, EventType.Overridden));
    }

    /// <param name="conversation">Where erin asked: her DM with the bot unless named.</param>
    private async Task<WorkflowRun> StartAsync(string conversation = ErinDm)
    {
        var directory = _slack.App.Get<IDirectory>();
        foreach (var (id, slackId) in (IEnumerable<(string, string)>)[("erin", "UERIN"), ("dave", "UDAVE"), ("sam", "USAM"), ("sarah", "USARAH"), ("alice", "UALICE")])
        {
            var person = (await directory.FindAsync(id))!;
            person.PlatformIds["slack"] = slackId;
            await directory.UpsertAsync(person);
        }

        var ticket = await _slack.App.Get<TicketService>().OpenAsync(new OpenTicket("IT", "access", "P2", "erin", "admin on GitHub please",
            new ConversationRef(Channels.Slack, conversation, RequestTs)));
        var definition = _slack.App.Get<WorkflowCatalog>().Find("temporary-admin")!;
        return await _slack.App.Get<WorkflowEngine>().StartAsync(definition, ticket, new Dictionary<string, string> { ["application"] = "github", ["duration"] = "1d" });
    }

    private async Task<IReadOnlyList<TicketEvent>> EventsAsync(string ticket, EventType type) =>
        [.. (await _slack.App.EventLog.ReadTicketAsync(ticket)).Where(e => e.Type == type)];

    private static string Body(WireMock.Logging.ILogEntry call) => call.RequestMessage.Body ?? "";

    private static JsonElement? ApproveButton(JsonElement post) =>
        post.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray())
            .Where(e => e.GetProperty("text").GetProperty("text").GetString() == "Approve")
            .Select(e => (JsonElement?)e)
            .FirstOrDefault();

    private static object Click(JsonElement button, string user, string channel, string messageTs, string triggerId) => new
    {
        type = "block_actions",
        team = new { id = "T1", domain = "acme" },
        user = new { id = user, username = user.ToLowerInvariant(), team_id = "T1" },
        api_app_id = "A1",
        trigger_id = triggerId,
        container = new { type = "message", message_ts = messageTs, channel_id = channel, is_ephemeral = false },
        channel = new { id = channel, name = "directmessage" },
        message = new { ts = messageTs, text = "card" },
        state = new { values = new { } },
        actions = new[]
        {
            new
            {
                action_id = button.GetProperty("action_id").GetString(),
                block_id = "b1",
                type = "button",
                value = button.GetProperty("value").GetString(),
                action_ts = "1772442101.000000",
                text = new { type = "plain_text", text = "Approve" },
            },
        },
    };

    private static object Submission(string user, string metadata, string reason, string triggerId = "trigger-submit", string block = "reason") => new
    {
        type = "view_submission",
        team = new { id = "T1", domain = "acme" },
        user = new { id = user, username = user.ToLowerInvariant(), team_id = "T1" },
        api_app_id = "A1",
        trigger_id = triggerId,
        view = new
        {
            id = "V123",
            type = "modal",
            callback_id = SlackCardInputForm.CallbackId,
            private_metadata = metadata,
            state = new { values = new Dictionary<string, object> { [block] = new Dictionary<string, object> { [block] = new { type = "plain_text_input", value = reason } } } },
        },
    };
}

/// <summary>Every string in a JSON value, decoded (the client escapes &lt; and &gt; as \u003C, which Slack reads back), one per line.</summary>
internal static class JsonStrings
{
    public static string Strings(this JsonElement element) => string.Join('\n', All(element));

    private static IEnumerable<string> All(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(All),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => All(p.Value)),
        _ => [],
    };
}
