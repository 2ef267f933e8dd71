using System.Text;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ItChatBot.Slack.Tests;

/// <summary>
/// Charts and exports reach Slack as files through the fake Slack API: a KPI card's chart is uploaded into the
/// card's thread (the upload URL gets the bytes, completeUploadExternal names the channel and thread), an export
/// into the conversation the command came from.
/// </summary>
public sealed class FileDeliveryTests : IDisposable
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
    private readonly SlackTestApp _slack = new();

    public void Dispose() => _slack.Dispose();

    [Fact]
    public async Task A_chart_is_uploaded_into_the_thread_of_the_card_posted_at_the_top_of_a_channel()
    {
        var message = await EnqueueAsync(new ConversationRef(Channels.Slack, "C0KPI"));

        // The share goes where chat.postMessage says the card landed (the fake always answers with its DM channel).
        var complete = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("files.completeUploadExternal"));
        Assert.Equal(FakeSlack.DmChannel, complete.GetProperty("channel_id").GetString());
        Assert.Equal(FakeSlack.PostedTs, complete.GetProperty("thread_ts").GetString());
        Assert.Equal("F123", complete.GetProperty("files")[0].GetProperty("id").GetString());
        Assert.Equal("backlog chart", complete.GetProperty("files")[0].GetProperty("title").GetString());

        var urlCall = FakeSlack.Form(Assert.Single(_slack.Slack.Calls("files.getUploadURLExternal")));
        Assert.Equal(("backlog-chart.png", Png.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), (urlCall["filename"], urlCall["length"]));
        Assert.Equal(Png, Assert.Single(_slack.Slack.Server.LogEntries, e => e.RequestMessage.Path == "/upload/F123").RequestMessage.BodyAsBytes);

        // The card itself carries no image block and no "Image:" line pointing at a path Slack cannot fetch.
        var post = FakeSlack.Json(Assert.Single(_slack.Slack.Calls("chat.postMessage")));
        Assert.Equal("C0KPI", post.GetProperty("channel").GetString());
        Assert.False(post.TryGetProperty("thread_ts", out _));
        Assert.DoesNotContain("\"image\"", post.GetProperty("blocks").GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("/files/", post.GetProperty("blocks").GetRawText(), StringComparison.Ordinal);

        // Bytes first, then the card, then the share into the card's thread.
        Assert.True(IndexOf("/upload/F123") < IndexOf("/api/chat.postMessage"));
        Assert.True(IndexOf("/api/chat.postMessage") < IndexOf("/api/files.completeUploadExternal"));
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(message.Id))!.PlatformMessageId == $"{FakeSlack.DmChannel}:{FakeSlack.PostedTs}", "the card's id recorded");
    }

    [Fact]
    public async Task A_chart_on_a_card_in_a_thread_goes_into_that_thread()
    {
        await EnqueueAsync(new ConversationRef(Channels.Slack, "C0KPI", "1772442000.000001"));

        var complete = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("files.completeUploadExternal"));
        Assert.Equal("1772442000.000001", complete.GetProperty("thread_ts").GetString());
        Assert.Equal("1772442000.000001", FakeSlack.Json(Assert.Single(_slack.Slack.Calls("chat.postMessage"))).GetProperty("thread_ts").GetString());
    }

    [Fact]
    public async Task A_failed_chart_upload_posts_no_card_and_the_retry_posts_exactly_one()
    {
        // Once refused (403 is not retried by the HTTP pipeline), then the fake's usual answer; -1 outranks its default priority 0.
        _slack.Slack.Server.Given(Request.Create().UsingPost().WithPath("/upload/F123")).InScenario("upload").WillSetStateTo("up").AtPriority(-1)
            .RespondWith(Response.Create().WithStatusCode(403));
        var message = await EnqueueAsync(new ConversationRef(Channels.Slack, "C0KPI"));

        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(message.Id))!.LastError is { } error && error.Contains("http_403", StringComparison.Ordinal), "the failed upload recorded");
        Assert.Empty(_slack.Slack.Calls("chat.postMessage"));

        _slack.App.Clock.Advance(TimeSpan.FromMinutes(5));
        _slack.App.Get<OutboxSignal>().Notify();

        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync(message.Id))!.State == OutboxState.Sent, "the retry sent");
        Assert.Single(_slack.Slack.Calls("chat.postMessage"));
        Assert.Single(_slack.Slack.Calls("files.completeUploadExternal"));
    }

    [Fact]
    public async Task A_chart_that_cannot_be_shared_after_its_card_is_posted_follows_on_its_own_without_a_second_card()
    {
        // The card is posted, then Slack refuses the share once (ok:false is not retried by the HTTP pipeline).
        _slack.Slack.Server.Given(Request.Create().UsingPost().WithPath("/api/files.completeUploadExternal")).InScenario("share").WillSetStateTo("shared").AtPriority(-1)
            .RespondWith(Response.Create().WithBodyAsJson(new { ok = false, error = "internal_error" }));
        var message = await EnqueueAsync(new ConversationRef(Channels.Slack, "C0KPI"));

        var share = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("files.completeUploadExternal", count: 2));
        Assert.Equal(FakeSlack.DmChannel, share.GetProperty("channel_id").GetString());
        Assert.Equal(FakeSlack.PostedTs, share.GetProperty("thread_ts").GetString());
        Assert.Single(_slack.Slack.Calls("chat.postMessage"));
        Assert.Equal(2, _slack.Slack.Server.LogEntries.Count(e => e.RequestMessage.Path == "/upload/F123"));
        var sent = (await Outbox.GetMessageAsync(message.Id))!;
        Assert.Equal((OutboxState.Sent, $"{FakeSlack.DmChannel}:{FakeSlack.PostedTs}"), (sent.State, sent.PlatformMessageId));
        await Eventually.TrueAsync(async () => (await Outbox.GetMessageAsync($"{message.Id}:chart"))?.State == OutboxState.Sent, "the chart's own message sent");
    }

    [Fact]
    public async Task A_leads_kpi_command_gets_the_card_with_its_chart_in_the_thread_and_an_export_as_a_file()
    {
        await _slack.App.Get<IDirectory>().UpsertAsync(new Person
        {
            Id = "ana", DisplayName = "Ana Lopez", Email = "ana@example.com", Teams = ["IT"], Roles = [Roles.Employee, Roles.Agent, Roles.Lead],
        });

        await _slack.Driver.PostCommandAsync("/kpi", "summary team:IT", channel: "C0LEADS");

        var chart = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("files.completeUploadExternal"));
        Assert.Equal(FakeSlack.PostedTs, chart.GetProperty("thread_ts").GetString());
        var card = FakeSlack.Json(Assert.Single(_slack.Slack.Calls("chat.postMessage")));
        Assert.Equal("C0LEADS", card.GetProperty("channel").GetString());
        Assert.Contains("KPI summary", card.GetProperty("text").GetString(), StringComparison.Ordinal);
        var bytes = Assert.Single(_slack.Slack.Server.LogEntries, e => e.RequestMessage.Path == "/upload/F123").RequestMessage.BodyAsBytes!;
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], bytes.Take(4));

        await _slack.Driver.PostCommandAsync("/kpi", "export audit period:7d", channel: "C0LEADS");

        var export = FakeSlack.Json(await _slack.Slack.WaitForCallAsync("files.completeUploadExternal", count: 2));
        Assert.Equal("C0LEADS", export.GetProperty("channel_id").GetString());
        Assert.False(export.TryGetProperty("thread_ts", out _));
        Assert.Equal("audit_20260223-20260302.csv", export.GetProperty("files")[0].GetProperty("title").GetString());
        Assert.Contains("Export: audit", export.GetProperty("initial_comment").GetString(), StringComparison.Ordinal);
        var csv = _slack.Slack.Server.LogEntries.Where(e => e.RequestMessage.Path == "/upload/F123").Last().RequestMessage.BodyAsBytes!;
        // The bytes Slack stores carry the UTF-8 byte order mark, so Excel opens the downloaded file as UTF-8.
        Assert.StartsWith("\uFEFFseq,at,actor,action,subject", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);
    }

    private IOutbox Outbox => _slack.App.Get<IOutbox>();

    private int IndexOf(string path) =>
        _slack.Slack.Server.LogEntries.Select((e, i) => (e, i)).First(x => x.e.RequestMessage.Path == path).i;

    private async Task<OutboundMessage> EnqueueAsync(ConversationRef to)
    {
        var message = new OutboundMessage
        {
            Id = Guid.NewGuid().ToString("N"),
            Conversation = to,
            Card = new Card { Title = "KPI summary · IT", Text = "MTTR 4.2 h", Image = new CardImage("/files/abc?exp=1&sig=x", "backlog chart") { Content = Png } },
            CreatedAt = _slack.App.Clock.GetUtcNow(),
        };
        await Outbox.EnqueueAsync([message]);
        _slack.App.Get<OutboxSignal>().Notify();
        return message;
    }
}
