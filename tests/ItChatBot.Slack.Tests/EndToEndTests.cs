using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.Delivery;
using ItChatBot.Slack.Inbound;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Slack.Tests;

/// <summary>Signed Slack requests through the real host to the fake Slack API and back.</summary>
public sealed class EndToEndTests : IDisposable
{
    private const string MessageTs = "1772442000.000001";
    private readonly SlackTestApp _slack = new();

    [Fact]
    public async Task A_signed_dm_opens_a_ticket_and_the_bots_threaded_card_reaches_slack()
    {
        await _slack.App.Get<IDirectory>().UpsertAsync(new Person { Id = "p-ana", DisplayName = "Ana Lopez", Email = "ana@example.com" });

        var response = await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvDM1", "my laptop won't start", MessageTs));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = await SingleTicketKeyAsync();
        var post = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage"));
        Assert.Equal(FakeSlack.DmChannel, post.GetProperty("channel").GetString());
        Assert.Equal(MessageTs, post.GetProperty("thread_ts").GetString());
        var blocks = post.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.StartsWith($"{key}: my laptop won't start", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("Thanks Ana Lopez", post.GetProperty("text").GetString());
        Assert.Contains(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() == "actions");

        // users.info mapped the Slack user to the directory person by e-mail.
        var ticket = await _slack.App.Get<ITicketStore>().GetAsync(key);
        Assert.Equal("p-ana", ticket!.Requester);
        Assert.Equal("U1", (await _slack.App.Get<IDirectory>().FindAsync("p-ana"))!.PlatformIds["slack"]);
        Assert.Equal(key, await _slack.App.Get<ITicketStore>().FindTicketByThreadAsync(new ConversationRef("slack", FakeSlack.DmChannel, MessageTs)));
    }

    [Fact]
    public async Task A_click_on_the_tickets_card_is_handled_in_its_thread()
    {
        await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvDM2", "vpn keeps dropping", MessageTs));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
        var key = await SingleTicketKeyAsync();

        var click = await _slack.Driver.PostInteractionAsync(SlackDriver.ButtonClick(TicketActions.Status, key, FakeSlack.PostedTs, MessageTs));

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var ephemeral = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral"));
        Assert.Equal("U1", ephemeral.GetProperty("user").GetString());
        Assert.Equal(MessageTs, ephemeral.GetProperty("thread_ts").GetString());
        Assert.StartsWith($"{key}:", ephemeral.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Withdrawing_from_the_card_resolves_the_ticket_and_answers_in_the_thread()
    {
        await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvDM3", "my laptop won't start", MessageTs));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
        var key = await SingleTicketKeyAsync();

        await _slack.Driver.PostInteractionAsync(SlackDriver.ButtonClick(TicketActions.Withdraw, key, FakeSlack.PostedTs, MessageTs));

        var withdrawn = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => c.RequestMessage.Body!.Contains("Withdrawn", StringComparison.Ordinal)));
        Assert.Equal(MessageTs, withdrawn.GetProperty("thread_ts").GetString());
        Assert.Equal(TicketStatus.Resolved, (await _slack.App.Get<ITicketStore>().GetAsync(key))!.Status);

        // The card itself is replaced in place: it shows the request resolved, and its withdraw button is gone.
        var updated = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.update"));
        Assert.Equal((FakeSlack.DmChannel, FakeSlack.PostedTs), (updated.GetProperty("channel").GetString(), updated.GetProperty("ts").GetString()));
        Assert.StartsWith($"{key}: my laptop won't start", updated.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("Resolved", updated.GetProperty("blocks").GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(TicketActions.Withdraw, updated.GetProperty("blocks").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_in_the_tickets_thread_goes_to_that_ticket_not_a_new_one()
    {
        await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvDM4", "my laptop won't start", MessageTs));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
        var key = await SingleTicketKeyAsync();
        await Eventually.TrueAsync(async () => await _slack.PendingOutboxAsync() == 0, "the first answers sent");
        var before = _slack.Slack.Calls("chat.postMessage").Count;

        await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvDM5", "any news?", "1772442050.000001", threadTs: MessageTs));

        await Eventually.TrueAsync(async () => _slack.App.Get<IInboundJournal>().Backlog == 0 && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0, "the reply processed");
        Assert.Equal(key, await SingleTicketKeyAsync());
        Assert.Single(await _slack.App.EventLog.ReadTicketAsync(key), e => e.Type == EventType.Created);
        Assert.All(_slack.Slack.Calls("chat.postMessage").Skip(before), c => Assert.Equal(MessageTs, FakeSlack.Json(c).GetProperty("thread_ts").GetString()));
    }

    [Fact]
    public async Task A_dm_answering_an_agents_question_outside_the_thread_reaches_the_ticket_and_one_press_makes_it_a_new_request()
    {
        await _slack.App.Get<IDirectory>().UpsertAsync(new Person
        {
            Id = "alice", DisplayName = "Alice Agent", Email = "alice@example.com", Teams = ["IT"], Roles = [Roles.Employee, Roles.Agent],
        });
        await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvAsk1", "my laptop battery drains in an hour", MessageTs));
        var key = await SingleTicketKeyAsync();
        await Eventually.TrueAsync(async () => await _slack.PendingOutboxAsync() == 0, "the first answers sent");
        // alice answers in the IT queue's web thread; it reaches the requester's Slack thread.
        using (var reply = await _slack.Client.PostAsJsonAsync("/chat/send", new { person = "alice", text = "Which laptop model is it?", conversation = "queue-it", thread = $"queue-{key}-IT" }))
        {
            Assert.True(reply.StatusCode == HttpStatusCode.OK, await reply.Content.ReadAsStringAsync());
        }

        await _slack.Slack.WaitForCallAsync("chat.postMessage", c => c.RequestMessage.Body!.Contains("Which laptop model is it?", StringComparison.Ordinal));

        // Not in the thread: a new DM at the top of the conversation.
        const string AnswerTs = "1772442300.000001";
        await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvAsk2", "a Dell XPS 13", AnswerTs));

        var notice = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral", c => c.RequestMessage.Body!.Contains($"Added to {key}", StringComparison.Ordinal)));
        Assert.Equal(("U1", AnswerTs), (notice.GetProperty("user").GetString(), notice.GetProperty("thread_ts").GetString()));
        Assert.Equal(key, await SingleTicketKeyAsync());
        var button = notice.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray()).Single();
        Assert.Equal(($"{AnswerTs}\n{key}\na Dell XPS 13", "Open as a new request"),
            (button.GetProperty("value").GetString(), button.GetProperty("text").GetProperty("text").GetString()));

        await _slack.Driver.PostInteractionAsync(SlackDriver.ButtonClick(button.GetProperty("action_id").GetString()!, button.GetProperty("value").GetString()!, "1772442300.000002", AnswerTs));

        IReadOnlyList<Ticket> tickets = [];
        await Eventually.TrueAsync(async () => (tickets = await _slack.App.Get<ITicketStore>().QueryAsync(new TicketQuery())).Count == 2, "the new request opened");
        var opened = Assert.Single(tickets, t => t.Key != key);
        Assert.Equal(("a Dell XPS 13", FakeSlack.DmChannel, AnswerTs), (opened.Subject, opened.Conversation, opened.Thread));
        var receipt = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage", c => c.RequestMessage.Body!.Contains($"{opened.Key}: a Dell XPS 13", StringComparison.Ordinal)));
        Assert.Equal(AnswerTs, receipt.GetProperty("thread_ts").GetString());
    }

    [Fact]
    public async Task In_a_slack_queue_channel_the_requesters_reply_goes_in_the_thread_of_the_tickets_card()
    {
        using var slack = new SlackTestApp(settings: new Dictionary<string, string?> { ["SupportTeams:IT:QueueChannels:slack"] = "C0QUEUE" });
        await slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvQ1", "my laptop won't start", MessageTs));
        await Eventually.TrueAsync(() => Task.FromResult(slack.Slack.Calls("chat.postMessage").Any(c => FakeSlack.Json(c).GetProperty("channel").GetString() == "C0QUEUE")), "the queue card posted");
        await Eventually.TrueAsync(async () => await slack.PendingOutboxAsync() == 0, "the first answers sent");
        var card = FakeSlack.Json(slack.Slack.Calls("chat.postMessage").Single(c => FakeSlack.Json(c).GetProperty("channel").GetString() == "C0QUEUE"));
        Assert.False(card.TryGetProperty("thread_ts", out _));

        await slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvQ2", "It started after the update", "1772442050.000001", threadTs: MessageTs));

        // Before: thread_ts was the card's platform id as the outbox keeps it ("D0DMCHANNEL:1772442000.000100"), no thread.
        await Eventually.TrueAsync(() => Task.FromResult(slack.Slack.Calls("chat.postMessage").Any(c => FakeSlack.Json(c).GetProperty("text").GetString()!.Contains("It started after the update", StringComparison.Ordinal))), "the reply relayed");
        var relayed = FakeSlack.Json(slack.Slack.Calls("chat.postMessage").Single(c => FakeSlack.Json(c).GetProperty("text").GetString()!.Contains("It started after the update", StringComparison.Ordinal)));
        Assert.Equal(("C0QUEUE", FakeSlack.PostedTs), (relayed.GetProperty("channel").GetString(), relayed.GetProperty("thread_ts").GetString()));
    }

    [Fact]
    public async Task A_mention_that_also_arrives_as_a_channel_message_is_handled_once()
    {
        var mention = SlackDriver.Callback("EvMENTION", new()
        {
            ["type"] = "app_mention", ["channel"] = "C0GENERAL", ["user"] = "U1", ["text"] = "<@UBOT> the wifi is down", ["ts"] = "1772442100.000001",
        });
        var asMessage = SlackDriver.Callback("EvMESSAGE", new()
        {
            ["type"] = "message", ["channel_type"] = "channel", ["channel"] = "C0GENERAL", ["user"] = "U1", ["text"] = "<@UBOT> the wifi is down", ["ts"] = "1772442100.000001",
        });

        await _slack.Driver.PostEventAsync(mention);
        await _slack.Driver.PostEventAsync(asMessage);

        var post = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage"));
        Assert.Equal("1772442100.000001", post.GetProperty("thread_ts").GetString());
        Assert.Contains("the wifi is down", post.GetProperty("text").GetString());
        Assert.DoesNotContain("<@UBOT>", post.GetProperty("text").GetString());
        await Eventually.TrueAsync(async () => _slack.App.Get<IInboundJournal>().Backlog == 0 && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0, "both events processed");
        Assert.Single(_slack.Slack.Calls("chat.postMessage"));
        Assert.Equal(1, await _slack.App.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_mention_that_runs_again_after_a_stop_opens_its_ticket_once_and_its_channel_copy_stays_a_duplicate()
    {
        // The process stopped after the mention claimed its message (the marker, stored as processed, naming the mention)
        // and before its turn ended: the mention's envelope is still pending and is handled again after the restart. The
        // host's processor has handled what it found pending at its start first, so these envelopes are handled by this
        // test alone.
        await _slack.App.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));
        const string parentTs = "1772442300.000001", replyTs = "1772442300.000002";
        var mention = EventEnvelope("EvMENTION-STOPPED", new()
        {
            ["type"] = "app_mention", ["channel"] = "C0GENERAL", ["user"] = "U1", ["text"] = "<@UBOT> my laptop won't start",
            ["ts"] = replyTs, ["thread_ts"] = parentTs,
        });
        var inbox = _slack.App.Get<IInbox>();
        Assert.True(await inbox.TryAcceptAsync(mention));
        Assert.True(await inbox.TryAcceptAsync(new InboundEnvelope(
            $"slack:msg:C0GENERAL:{replyTs}", Channels.Slack, SlackEnvelopeKinds.MessageSeen, mention.PlatformId, mention.ReceivedAt) { ProcessedAt = mention.ReceivedAt }));
        var handler = _slack.App.Get<IEnumerable<IEnvelopeHandler>>().Single(h => h.Channel == Channels.Slack);

        Assert.True(await handler.HandleAsync(mention, CancellationToken.None));

        var key = Assert.Single(await _slack.App.Get<ITicketStore>().QueryAsync(new TicketQuery())).Key;
        Assert.DoesNotContain(await inbox.PendingAsync(100), e => e.PlatformId == mention.PlatformId);

        // The message.channels copy of the same post is a reply in the ticket's thread now, so only the marker stops it.
        Assert.Equal(key, await _slack.App.Get<ITicketStore>().FindTicketByThreadAsync(new ConversationRef(Channels.Slack, "C0GENERAL", parentTs)));
        var events = await _slack.App.EventLog.CountAsync();
        var copy = EventEnvelope("EvMESSAGE-COPY", new()
        {
            ["type"] = "message", ["channel_type"] = "channel", ["channel"] = "C0GENERAL", ["user"] = "U1", ["text"] = "<@UBOT> my laptop won't start",
            ["ts"] = replyTs, ["thread_ts"] = parentTs,
        });
        Assert.True(await inbox.TryAcceptAsync(copy));

        Assert.False(await handler.HandleAsync(copy, CancellationToken.None));

        Assert.Equal(events, await _slack.App.EventLog.CountAsync());
        Assert.Single(await _slack.App.Get<ITicketStore>().QueryAsync(new TicketQuery()));
    }

    [Fact]
    public async Task A_mention_loses_only_the_bots_own_mention_and_keeps_the_people_it_names()
    {
        await _slack.Driver.PostEventAsync(SlackDriver.Callback("EvNAMES", new()
        {
            ["type"] = "app_mention", ["channel"] = "C0GENERAL", ["user"] = "U1",
            ["text"] = "<@UBOT> my laptop won't start, <@U0NEWHIRE> needs it too", ["ts"] = "1772442400.000001",
        }));

        var ticket = await _slack.App.Get<ITicketStore>().GetAsync(await SingleTicketKeyAsync());
        Assert.Equal("my laptop won't start, <@U0NEWHIRE> needs it too", ticket!.Subject);
    }

    [Fact]
    public async Task A_mention_while_the_bots_id_is_unknown_loses_only_its_leading_mention()
    {
        // auth.test fails and the payload has no authorizations (older payloads): the leading mention is the bot's.
        using var slack = new SlackTestApp(arrange: s => s.Answer("auth.test", new { ok = false, error = "invalid_auth" }, priority: 2));
        var callback = (Dictionary<string, object?>)SlackDriver.Callback("EvNOID", new()
        {
            ["type"] = "app_mention", ["channel"] = "C0GENERAL", ["user"] = "U1",
            ["text"] = "<@UBOT> my laptop won't start, <@U0NEWHIRE> needs it too", ["ts"] = "1772442450.000001",
        });
        callback.Remove("authorizations");

        await slack.Driver.PostEventAsync(callback);

        IReadOnlyList<Ticket> tickets = [];
        await Eventually.TrueAsync(async () => (tickets = await slack.App.Get<ITicketStore>().QueryAsync(new TicketQuery())).Count > 0, "a ticket");
        Assert.Null(slack.App.Get<SlackBotIdentity>().Current);
        Assert.Equal("my laptop won't start, <@U0NEWHIRE> needs it too", Assert.Single(tickets).Subject);
    }

    [Fact]
    public async Task A_thread_reply_handled_from_its_channel_copy_reaches_the_queue_without_the_bots_mention()
    {
        // Of a reply's two copies (app_mention and message.channels) the channel copy can be the one that claims it; its
        // text carries the bot's mention as Slack wrote it.
        const string parentTs = "1772442500.000001";
        await _slack.Driver.PostEventAsync(SlackDriver.Callback("EvPARENT", new()
        {
            ["type"] = "app_mention", ["channel"] = "C0GENERAL", ["user"] = "U1", ["text"] = "<@UBOT> my laptop won't start", ["ts"] = parentTs,
        }));
        await SingleTicketKeyAsync();
        await Eventually.TrueAsync(async () => _slack.App.Get<IInboundJournal>().Backlog == 0 && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0, "the mention processed");

        await _slack.Driver.PostEventAsync(SlackDriver.Callback("EvREPLYCOPY", new()
        {
            ["type"] = "message", ["channel_type"] = "channel", ["channel"] = "C0GENERAL", ["user"] = "U1",
            ["text"] = "<@UBOT> any news? <@U0BOSS> asks too", ["ts"] = "1772442500.000002", ["thread_ts"] = parentTs,
        }));

        await Eventually.TrueAsync(async () => _slack.App.Get<IInboundJournal>().Backlog == 0 && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0, "the reply processed");
        // The requester's reply goes on to the ticket's card in the team's web queue.
        var relayed = await _slack.App.Get<IOutbox>().ListConversationAsync(Channels.Web, "queue-it", 0);
        Assert.Contains(relayed, m => m.Message.Card.Text == "any news? <@U0BOSS> asks too");
    }

    [Fact]
    public async Task Channel_chatter_outside_the_bots_threads_is_ignored()
    {
        var response = await _slack.Driver.PostEventAsync(SlackDriver.Callback("EvCHAT", new()
        {
            ["type"] = "message", ["channel_type"] = "channel", ["channel"] = "C0GENERAL", ["user"] = "U1", ["text"] = "lunch?", ["ts"] = "1772442200.000001",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(async () => _slack.App.Get<IInboundJournal>().Backlog == 0 && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0, "the event processed");
        Assert.Empty(_slack.Slack.Calls("chat.postMessage"));
        Assert.Equal(0, await _slack.App.EventLog.CountAsync());

        // A top-level channel message is never for the bot: it is acknowledged and not kept.
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    [Fact]
    public async Task A_slash_command_with_text_opens_a_ticket_and_links_the_cards_thread()
    {
        var response = await _slack.Driver.PostCommandAsync("/it", "my laptop won't start", channel: "C0SUPPORT");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var post = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage"));
        Assert.Equal("C0SUPPORT", post.GetProperty("channel").GetString());
        Assert.False(post.TryGetProperty("thread_ts", out _));
        var key = await SingleTicketKeyAsync();
        await Eventually.TrueAsync(
            async () => await _slack.App.Get<ITicketStore>().FindTicketByThreadAsync(new ConversationRef("slack", FakeSlack.DmChannel, FakeSlack.PostedTs)) == key,
            "the card's thread linked to the ticket");
    }

    [Fact]
    public async Task A_bad_command_gets_an_ephemeral_answer_with_the_correct_form()
    {
        await _slack.Driver.PostCommandAsync("/kpi", "nonsense");

        var ephemeral = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postEphemeral"));
        Assert.Equal("U1", ephemeral.GetProperty("user").GetString());
        Assert.Contains("That didn't work", ephemeral.GetProperty("text").GetString());
        Assert.Equal(0, await _slack.App.EventLog.CountAsync());
    }

    [Fact]
    public async Task An_ephemeral_answer_in_a_channel_the_bot_is_not_in_goes_to_the_dm()
    {
        _slack.Slack.Answer("chat.postEphemeral", new { ok = false, error = "not_in_channel" }, priority: 1);

        await _slack.Driver.PostCommandAsync("/it", "help", channel: "C0ELSEWHERE");

        var dm = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage"));
        Assert.Equal(FakeSlack.DmChannel, dm.GetProperty("channel").GetString());
        Assert.Contains("/it help", dm.GetProperty("text").GetString());
        Assert.Equal("U1", FakeSlack.Form(Assert.Single(_slack.Slack.Calls("conversations.open")))["users"]);
    }

    [Fact]
    public async Task A_processed_command_is_marked_done_in_the_write_that_enqueues_its_reply()
    {
        // The first command maps U1 to a directory person (a write of its own); the second is the one counted.
        await _slack.Driver.PostCommandAsync("/it", "help");
        await WaitUntilProcessedAndSentAsync(ephemerals: 1);
        var before = _slack.App.Get<LiteDbStore>().WriterStats.Writes;

        await _slack.Driver.PostCommandAsync("/it", "help");
        await WaitUntilProcessedAndSentAsync(ephemerals: 2);

        // The journal mover stores the envelope in the inbox (1); the router enqueues the reply and marks the envelope
        // processed together (1); the dispatcher marks the reply sent (1). A separate "processed" write would make it 4.
        Assert.Equal(3, _slack.App.Get<LiteDbStore>().WriterStats.Writes - before);
        Assert.Empty(await _slack.App.Get<IInbox>().PendingAsync(10));
    }

    private async Task WaitUntilProcessedAndSentAsync(int ephemerals)
    {
        await Eventually.TrueAsync(
            async () => _slack.Slack.Calls("chat.postEphemeral").Count == ephemerals
                && _slack.App.Get<IInboundJournal>().Backlog == 0
                && (await _slack.App.Get<IInbox>().PendingAsync(10)).Count == 0
                && await _slack.PendingOutboxAsync() == 0,
            $"ephemeral answer {ephemerals} sent and its envelope processed");
    }

    [Fact]
    public async Task A_message_slack_refuses_stays_in_the_outbox_and_is_sent_later()
    {
        // The first post is refused; afterwards Slack answers normally again.
        _slack.Slack.Server.Given(WireMock.RequestBuilders.Request.Create().UsingPost().WithPath("/api/chat.postMessage"))
            .InScenario("refused").WillSetStateTo("recovered").AtPriority(1)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithBody("""{"ok":false,"error":"fatal_error"}"""));

        await _slack.Driver.PostEventAsync(SlackDriver.DirectMessage("EvOUT", "keyboard broken", MessageTs));
        await _slack.Slack.WaitForCallAsync("chat.postMessage");
        // The dispatcher records the refusal as soon as it happens and marks the rest of its pass (the queue card,
        // sent after the reply) sent at the pass's end: wait for that end, when only the refused message is left.
        await Eventually.TrueAsync(
            async () => (await _slack.App.Get<IOutbox>().DueAsync(DateTimeOffset.MaxValue.AddYears(-1), 10)) is [{ LastError: not null }],
            "the failed attempt recorded and the rest of the pass sent");
        var pending = await _slack.App.Get<IOutbox>().DueAsync(DateTimeOffset.MaxValue.AddYears(-1), 10);
        var entry = Assert.Single(pending);
        Assert.Contains("fatal_error", entry.LastError);

        Assert.Equal(OutboxState.Pending, entry.State);

        _slack.App.Clock.Advance(TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(async () => (await _slack.App.Get<IOutbox>().GetMessageAsync(entry.Message.Id))!.State == OutboxState.Sent, "the retried send");
        Assert.Equal($"{FakeSlack.DmChannel}:{FakeSlack.PostedTs}", (await _slack.App.Get<IOutbox>().GetMessageAsync(entry.Message.Id))!.PlatformMessageId);
    }

    [Fact]
    public async Task Bare_it_opens_the_request_form_and_its_submission_opens_a_ticket_with_the_chosen_category()
    {
        await _slack.Driver.PostCommandAsync("/it", "", triggerId: "trig.form.1");

        var open = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("views.open"));
        Assert.Equal("trig.form.1", open.GetProperty("trigger_id").GetString());
        var view = open.GetProperty("view");
        Assert.Equal(SlackRequestForm.CallbackId, view.GetProperty("callback_id").GetString());

        var submit = await _slack.Driver.PostInteractionAsync(Submission("The office printer prints blank pages", "IT|hardware", "P2"));

        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        var post = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("chat.postMessage"));
        Assert.Equal(FakeSlack.DmChannel, post.GetProperty("channel").GetString());
        var ticket = await _slack.App.Get<ITicketStore>().GetAsync("IT-1");
        Assert.Equal(("hardware", "P2"), (ticket!.Category, ticket.Priority));
    }

    [Fact]
    public async Task A_form_submission_that_runs_again_after_a_stop_opens_no_second_ticket_and_sends_its_card_once()
    {
        // The process stopped after the submission's ticket was stored and before the submission was marked done (with
        // its card, in one write): the ticket is linked to the delivery, no card is stored, and the stored envelope is
        // handled again after the restart. The host's processor has handled what it found pending at its start first, so
        // this envelope is handled by this test alone.
        await _slack.App.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));
        var envelope = new InboundEnvelope("slack:form-replayed", Channels.Slack, SlackEnvelopeKinds.InteractionJson,
            JsonSerializer.Serialize(Submission("The office printer prints blank pages", "IT|hardware", "P2")), _slack.App.Clock.GetUtcNow());
        var inbox = _slack.App.Get<IInbox>();
        Assert.True(await inbox.TryAcceptAsync(envelope));
        var opened = await _slack.App.Get<TicketService>().OpenAsync(
            new OpenTicket("IT", "hardware", "P2", "ana", "The office printer prints blank pages", new ConversationRef(Channels.Slack, FakeSlack.DmChannel))
            {
                Delivery = envelope.PlatformId,
            });
        var handler = _slack.App.Get<IEnumerable<IEnvelopeHandler>>().Single(h => h.Channel == Channels.Slack);

        Assert.True(await handler.HandleAsync(envelope, CancellationToken.None));

        Assert.Equal([opened.Key], (await _slack.App.Get<ITicketStore>().QueryAsync(new TicketQuery())).Select(t => t.Key));
        var cards = await _slack.App.Get<IOutbox>().ListConversationAsync(Channels.Slack, FakeSlack.DmChannel, 0);
        Assert.Equal([opened.Key], cards.Select(c => c.Message.Ticket));
        Assert.DoesNotContain(await inbox.PendingAsync(100), e => e.PlatformId == envelope.PlatformId);
    }

    [Fact]
    public async Task An_invalid_form_submission_shows_errors_in_the_modal_and_stores_nothing()
    {
        var response = await _slack.Driver.PostInteractionAsync(Submission("", "IT|not-a-category", "P9"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("errors", json.RootElement.GetProperty("response_action").GetString());
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal(["category", "urgency", "what"], errors.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(0, _slack.StoredEnvelopes);
    }

    /// <summary>An event callback as the endpoint stores it, not processed yet.</summary>
    private InboundEnvelope EventEnvelope(string eventId, Dictionary<string, object?> inner) =>
        new($"slack:{eventId}", Channels.Slack, SlackEnvelopeKinds.Event, JsonSerializer.Serialize(SlackDriver.Callback(eventId, inner)), _slack.App.Clock.GetUtcNow());

    /// <summary>The one ticket the test opened (triage decides its team, so its key is not fixed).</summary>
    private async Task<string> SingleTicketKeyAsync()
    {
        IReadOnlyList<Ticket> tickets = [];
        await Eventually.TrueAsync(async () => (tickets = await _slack.App.Get<ITicketStore>().QueryAsync(new TicketQuery())).Count > 0, "a ticket");
        return Assert.Single(tickets).Key;
    }

    private static object Submission(string what, string category, string urgency) => new
    {
        type = "view_submission",
        team = new { id = "T1", domain = "acme" },
        user = new { id = "U1", username = "ana", name = "ana", team_id = "T1" },
        trigger_id = $"{Guid.NewGuid():N}.1.abc",
        view = new
        {
            id = "V123",
            callback_id = SlackRequestForm.CallbackId,
            private_metadata = FakeSlack.DmChannel,
            hash = "1.abc",
            state = new
            {
                values = new Dictionary<string, object>
                {
                    ["what"] = new { what = new { type = "plain_text_input", value = what } },
                    ["category"] = new { category = new { type = "static_select", selected_option = new { value = category } } },
                    ["urgency"] = new { urgency = new { type = "static_select", selected_option = new { value = urgency } } },
                },
            },
        },
        response_urls = Array.Empty<object>(),
    };

    public void Dispose() => _slack.Dispose();
}
