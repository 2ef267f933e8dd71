using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

public sealed class SurveyTests
{
    [Fact]
    public async Task The_survey_goes_out_after_the_delay_once_per_resolution()
    {
        using var app = new QueueApp(new Dictionary<string, string?> { ["Queues:SurveyDelay"] = "00:30:00" });
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it resolve {ticket.Key}");

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await app.SurveysAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await app.SurveysAsync());
        Assert.Equal(0, await app.SurveysAsync());
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await app.SurveysAsync());

        var sent = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.SurveySent);
        var resolved = Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.Resolved);
        Assert.Equal(resolved.Id, sent.Get(QueueEventData.Resolution));
        var survey = Assert.Single(await app.ConversationAsync("dm-erin", "erin"), m => m.Title.StartsWith("How did we do", StringComparison.Ordinal));
        Assert.Equal(thread, survey.Thread);
        Assert.Equal(5, survey.Html.Split(SurveyCards.Answer).Length - 1);
    }

    [Fact]
    public async Task A_resolution_reopened_before_the_survey_is_due_gets_none_and_the_next_resolution_gets_its_own()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it resolve {ticket.Key}");
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.SendAsync("erin", "still broken", "dm-erin", thread);
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await app.SurveysAsync());

        await app.SendAsync("alice", $"/it resolve {ticket.Key} for real this time");
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await app.SurveysAsync());
        var events = await app.EventsAsync(ticket.Key);
        Assert.Equal(events.Last(e => e.Type == EventType.Resolved).Id, Assert.Single(events, e => e.Type == EventType.SurveySent).Get(QueueEventData.Resolution));
    }

    [Fact]
    public async Task A_withdrawn_request_gets_no_survey()
    {
        using var app = new QueueApp();
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.ActAsync("erin", TicketActions.Withdraw, ticket.Key, conversation: "dm-erin", thread: thread);
        app.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, await app.SurveysAsync());
        Assert.DoesNotContain(await app.EventsAsync(ticket.Key), e => e.Type == EventType.SurveySent);
    }

    [Fact]
    public async Task One_answer_per_resolution_changeable_for_a_day_and_only_by_the_requester()
    {
        using var app = new QueueApp();
        var (ticket, thread, resolution) = await SurveyedAsync(app);
        string Score(int s) => SurveyCards.Value(ticket.Key, resolution, s);

        var answered = await app.ActAsync("erin", SurveyCards.Answer, Score(4), conversation: "dm-erin", thread: thread);
        Assert.Contains(answered, m => m.UpdateOf == QueueIds.SurveyMessage(resolution) && m.Text.Contains("you rated IT-1 *4* out of 5", StringComparison.Ordinal));

        // The same score again records nothing; someone else's press is refused.
        await app.ActAsync("erin", SurveyCards.Answer, Score(4), conversation: "dm-erin", thread: thread);
        Assert.Contains("Only the requester", Assert.Single(await app.ActAsync("alice", SurveyCards.Answer, Score(5), conversation: "dm-erin")).Text, StringComparison.Ordinal);
        Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.SurveyAnswered);

        // Changed within 24 hours: a new answer that names the one it replaces.
        app.Clock.Advance(TimeSpan.FromHours(23));
        await app.ActAsync("erin", SurveyCards.Answer, Score(5), conversation: "dm-erin", thread: thread);
        var answers = (await app.EventsAsync(ticket.Key)).Where(e => e.Type == EventType.SurveyAnswered).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal((5, answers[0].Id, resolution), (answers[1].GetInt(EventData.Score), answers[1].Get(QueueEventData.Replaces), answers[1].Get(QueueEventData.Resolution)));

        // After 24 hours from the first answer it is final.
        app.Clock.Advance(TimeSpan.FromHours(2));
        var refused = Assert.Single(await app.ActAsync("erin", SurveyCards.Answer, Score(2), conversation: "dm-erin", thread: thread));
        Assert.Contains("is final", refused.Text, StringComparison.Ordinal);
        Assert.Equal(2, (await app.EventsAsync(ticket.Key)).Count(e => e.Type == EventType.SurveyAnswered));
    }

    [Fact]
    public async Task A_low_score_is_told_in_the_queue_thread_once_and_a_good_one_is_not()
    {
        using var app = new QueueApp();
        var (ticket, thread, resolution) = await SurveyedAsync(app);
        string Score(int s) => SurveyCards.Value(ticket.Key, resolution, s);
        var queueThread = QueueIds.WebThread(ticket.Key, "IT");
        async Task<List<ItChatBot.Host.WebChat.ChatMessage>> AlertsAsync() =>
            [.. (await app.ConversationAsync("queue-it", "alice")).Where(m => m.Text.Contains("rated the help", StringComparison.Ordinal))];

        await app.ActAsync("erin", SurveyCards.Answer, Score(4), conversation: "dm-erin", thread: thread);
        Assert.Empty(await AlertsAsync());

        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.ActAsync("erin", SurveyCards.Answer, Score(2), conversation: "dm-erin", thread: thread);
        var alert = Assert.Single(await AlertsAsync());
        Assert.Equal(queueThread, alert.Thread);
        Assert.StartsWith($"{ticket.Key}: Erin Employee rated the help 2 out of 5", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Resolved by Alice Agent.", alert.Text, StringComparison.Ordinal);

        // Changed to another low score: the queue already knows.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.ActAsync("erin", SurveyCards.Answer, Score(1), conversation: "dm-erin", thread: thread);
        Assert.Single(await AlertsAsync());
    }

    [Fact]
    public async Task A_low_score_for_a_ticket_automation_resolved_goes_to_the_teams_queue_channel()
    {
        using var app = new QueueApp();
        await app.SendAsync("erin", "I forgot my password");
        var ticket = await app.TicketAsync("IT-1");
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await app.SurveysAsync());
        var resolution = (await app.EventsAsync(ticket.Key)).Single(e => e.Type == EventType.Resolved).Id;

        await app.ActAsync("erin", SurveyCards.Answer, SurveyCards.Value(ticket.Key, resolution, 1), conversation: "dm-erin", thread: ticket.Thread);

        // The ticket had no card in the queue (automation resolved it): its card is posted, resolved, and the alert goes in its thread.
        var queue = await app.ConversationAsync("queue-it", "alice");
        var card = Assert.Single(queue, m => m.Id == QueueIds.PostMessage(ticket.Key, "IT", "web"));
        Assert.Contains("Status: Resolved", card.Text, StringComparison.Ordinal);
        var alert = Assert.Single(queue, m => m.Text.Contains("rated the help", StringComparison.Ordinal));
        Assert.Equal(QueueIds.WebThread(ticket.Key, "IT"), alert.Thread);
        Assert.Contains("IT-1: Erin Employee rated the help 1 out of 5", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Resolved by automation.", alert.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_alerts_set_to_0_a_low_score_is_not_posted()
    {
        using var app = new QueueApp(new Dictionary<string, string?> { ["Queues:SurveyAlertAtOrBelow"] = "0" });
        var (ticket, thread, resolution) = await SurveyedAsync(app);

        await app.ActAsync("erin", SurveyCards.Answer, SurveyCards.Value(ticket.Key, resolution, 1), conversation: "dm-erin", thread: thread);

        Assert.DoesNotContain(await app.ConversationAsync("queue-it", "alice"), m => m.Text.Contains("rated the help", StringComparison.Ordinal));
        Assert.Single(await app.EventsAsync(ticket.Key), e => e.Type == EventType.SurveyAnswered);
    }

    [Fact]
    public async Task A_changed_answer_replaces_the_first_in_csat_rather_than_counting_twice()
    {
        using var app = new QueueApp();
        var (ticket, thread, resolution) = await SurveyedAsync(app);
        var kpi = app.Get<ItChatBot.Core.Kpi.KpiEngine>();
        var from = app.Clock.GetUtcNow().AddDays(-1);
        var to = app.Clock.GetUtcNow().AddDays(2);
        await app.ActAsync("erin", SurveyCards.Answer, SurveyCards.Value(ticket.Key, resolution, 2), conversation: "dm-erin", thread: thread);
        var first = await kpi.ComputeAsync(new("csat", "IT", from, to));
        Assert.Equal(0d, first.Value);
        Assert.Equal(1, first.Count);

        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.ActAsync("erin", SurveyCards.Answer, SurveyCards.Value(ticket.Key, resolution, 5), conversation: "dm-erin", thread: thread);

        var csat = await kpi.ComputeAsync(new("csat", "IT", from, to));
        Assert.Equal(1d, csat.Value);
        Assert.Equal(1, csat.Count);
        Assert.Equal(5d, csat.Extra["meanScore"]);
        Assert.Equal(1d, csat.Extra["responseRate"]);
    }

    [Theory]
    [InlineData("IT-1 nonsense")]
    [InlineData("IT-1 abc 9")]
    [InlineData("IT-1 unknown-resolution 4")]
    public async Task A_malformed_or_unknown_survey_answer_is_refused_and_stores_nothing(string value)
    {
        using var app = new QueueApp();
        var (ticket, _) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it resolve {ticket.Key}");
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.SurveysAsync();
        var count = (await app.EventsAsync(ticket.Key)).Count;

        var reply = Assert.Single(await app.ActAsync("erin", SurveyCards.Answer, value));

        Assert.True(reply.Ephemeral);
        Assert.Equal(count, (await app.EventsAsync(ticket.Key)).Count);
    }

    /// <summary>A request resolved by an agent an hour ago, its survey sent: the ticket, its thread and the resolution's event id.</summary>
    private static async Task<(Ticket Ticket, string Thread, string Resolution)> SurveyedAsync(QueueApp app)
    {
        var (ticket, thread) = await app.OpenAsync("my laptop screen is flickering");
        await app.SendAsync("alice", $"/it resolve {ticket.Key}");
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await app.SurveysAsync());
        return (ticket, thread, (await app.EventsAsync(ticket.Key)).Single(e => e.Type == EventType.Resolved).Id);
    }
}
