using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using ItChatBot.Core.Audit;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.Api;
using ItChatBot.Host.Exports;
using ItChatBot.Testing;

namespace ItChatBot.Approvals.Tests;

/// <summary>CSV exports over the API (behind the key) and in chat, each one audited; bad input refused with a reason and nothing recorded.</summary>
public sealed class ExportTests : IDisposable
{
    private const string Key = "export-key-1";
    private readonly ItChatBotApp _app = new(new Dictionary<string, string?> { ["Api:Keys:0"] = ApiKeys.Hash(Key) });

    public void Dispose() => _app.Dispose();

    private DateTimeOffset Now => _app.Clock.GetUtcNow();

    [Fact]
    public async Task Without_a_key_or_with_a_wrong_key_the_export_is_refused_and_not_recorded()
    {
        var client = _app.CreateClient();
        var none = await client.GetAsync(new Uri("/api/export/audit.csv", UriKind.Relative));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
        var wrong = await client.GetAsync(new Uri("/api/export/audit.csv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task With_the_key_the_audit_csv_holds_the_period_and_the_export_is_itself_audited()
    {
        var audit = _app.Get<IAuditLog>();
        await audit.AppendAsync(AuditRecord.New(Now.AddDays(-3), "dave", AuditActions.ApprovalDecided, "IT-1", new Dictionary<string, string> { ["decision"] = "approved" }));
        await audit.AppendAsync(AuditRecord.New(Now.AddDays(-1), "automation", AuditActions.AccessGranted, "IT-1", new Dictionary<string, string> { ["resource"] = "github" }));
        await audit.AppendAsync(AuditRecord.New(Now.AddDays(-40), "dave", AuditActions.ApprovalDecided, "IT-0"));

        var response = await Keyed().GetAsync(new Uri("/api/export/audit.csv?from=2026-02-25&to=2026-03-02T09:00:00Z", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = Lines(await response.Content.ReadAsStringAsync());
        Assert.Equal("seq,at,actor,action,subject,data,prev_hash,hash", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("1,2026-02-27T09:00:00.000Z,dave,approval.decided,IT-1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2,2026-03-01T09:00:00.000Z,automation,access.granted,IT-1,", lines[2], StringComparison.Ordinal);

        var export = Assert.Single(await AuditAsync(), e => e.Action == AuditActions.Export);
        Assert.Equal($"api:{ApiKeys.Hash(Key)[..12]}", export.Actor);
        Assert.Equal("audit.csv", export.Subject);
        Assert.Equal("2", export.Get("rows"));
        Assert.Equal("api", export.Get("via"));
        Assert.Equal("2026-02-25T00:00:00Z", export.Get("from"));
        Assert.True((await audit.VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData("/api/export/audit.csv?from=yesterday", "'from' must be an ISO 8601 date or instant")]
    [InlineData("/api/export/audit.csv?to=2026-13-01", "'to' must be an ISO 8601 date or instant")]
    [InlineData("/api/export/audit.csv?from=2026-03-01T10:00:00", "'from' must be an ISO 8601 date or instant")]
    [InlineData("/api/export/access.csv?from=2026-03-02&to=2026-03-01", "must start before it ends")]
    [InlineData("/api/export/payroll.csv", "'payroll' is not an export; use one of access|audit")]
    public async Task Bad_input_answers_400_with_the_reason_and_records_nothing(string url, string reason)
    {
        var response = await Keyed().GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task The_access_csv_has_one_row_per_grant_with_approver_revocation_and_outcome()
    {
        var t = Now.AddDays(-5);
        var log = _app.EventLog;
        await log.AppendAsync(
        [
            .. Events.Of("IT-1").Created(t, requester: "erin").Approved(t.AddMinutes(20), "dave").List,
            Grant("IT-1", t.AddMinutes(21), "github", t.AddDays(2), ("alreadyMember", "true")),
            Event("IT-1", EventType.AccessRevoked, t.AddDays(2), (EventData.Resource, "github"), (EventData.Outcome, "revoked"), ("keptBy", "standing")),
            .. Events.Of("IT-2").Created(t, requester: "frank").List,
            Grant("IT-2", t.AddHours(1), "vpn", t.AddDays(1), (EventData.Approver, "mgr1")),
            .. Events.Of("IT-3").Created(t.AddDays(-60), requester: "frank").List,
            Grant("IT-3", t.AddDays(-60), "old-app", null),
        ]);

        var response = await Keyed().GetAsync(new Uri("/api/export/access.csv?from=2026-02-20", UriKind.Relative));

        var lines = Lines(await response.Content.ReadAsStringAsync());
        string[] expected =
        [
            "ticket,requester,approver,resource,role,granted_at,expires_at,revoked_at,outcome,already_member",
            "IT-1,erin,dave,github,member,2026-02-25T09:21:00.000Z,2026-02-27T09:00:00.000Z,2026-02-27T09:00:00.000Z,revoked,true",
            "IT-2,frank,mgr1,vpn,member,2026-02-25T10:00:00.000Z,2026-02-26T09:00:00.000Z,,overdue,",
        ];
        Assert.Equal(expected.Length, lines.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], lines[i]);
        }

        // The approvals worker's audit projection may also have recorded the grants above by now; the export is one entry.
        var export = Assert.Single(await AuditAsync(), e => e.Action == AuditActions.Export);
        Assert.Equal("access.csv", export.Subject);
        Assert.Equal("2", export.Get("rows"));
    }

    [Fact]
    public async Task In_chat_a_lead_gets_the_csv_posted_as_a_file_and_the_export_is_audited()
    {
        await _app.Get<IAuditLog>().AppendAsync(AuditRecord.New(Now.AddDays(-2), "dave", AuditActions.ApprovalDecided, "IT-9"));

        var reply = await SendAsync("carol", "/kpi export audit period:7d");

        Assert.Contains("Export: audit", reply, StringComparison.Ordinal);
        var posted = (await _app.Get<IOutbox>().ListConversationAsync("web", "dm-carol", 0)).Select(e => e.Message).Single(m => m.File is not null);
        Assert.Null(posted.EphemeralTo);
        Assert.Equal("text/csv; charset=utf-8", posted.File!.ContentType);
        var lines = Lines(Encoding.UTF8.GetString(posted.File.Content));
        Assert.Equal(2, lines.Length);
        Assert.Contains("dave,approval.decided,IT-9", lines[1], StringComparison.Ordinal);
        var export = Assert.Single(await AuditAsync(), e => e.Action == AuditActions.Export);
        Assert.Equal("carol", export.Actor);
        Assert.Equal("web", export.Get("via"));
    }

    [Fact]
    public async Task In_chat_last_month_exports_the_whole_previous_calendar_month_as_a_kpi_card_counts_it()
    {
        var now = Now.UtcDateTime;
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var lastMonth = thisMonth.AddMonths(-1);
        var audit = _app.Get<IAuditLog>();
        await audit.AppendAsync(AuditRecord.New(lastMonth.AddMinutes(-1), "dave", AuditActions.ApprovalDecided, "IT-1"));
        await audit.AppendAsync(AuditRecord.New(lastMonth, "dave", AuditActions.ApprovalDecided, "IT-2"));
        await audit.AppendAsync(AuditRecord.New(thisMonth.AddMinutes(-1), "dave", AuditActions.ApprovalDecided, "IT-3"));
        await audit.AppendAsync(AuditRecord.New(thisMonth, "dave", AuditActions.ApprovalDecided, "IT-4"));

        var reply = await SendAsync("carol", "/kpi export audit period:last-month");

        Assert.Contains($"2 rows, {ExportPeriod.Format(lastMonth)}..{ExportPeriod.Format(thisMonth)}.", reply, StringComparison.Ordinal);
        var posted = (await _app.Get<IOutbox>().ListConversationAsync("web", "dm-carol", 0)).Select(e => e.Message).Single(m => m.File is not null);
        var rows = Lines(Encoding.UTF8.GetString(posted.File!.Content)).Skip(1).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Contains(",IT-2", rows[0], StringComparison.Ordinal);
        Assert.Contains(",IT-3", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_chat_an_employee_is_refused_and_the_attempt_is_audited()
    {
        var reply = await SendAsync("erin", "/kpi export access");

        Assert.Contains("Only leads and admins", reply, StringComparison.Ordinal);
        Assert.DoesNotContain((await _app.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0)), e => e.Message.File is not null);
        var refused = Assert.Single(await AuditAsync());
        Assert.Equal("erin", refused.Actor);
        Assert.Equal("not a lead or admin", refused.Get("refused"));
    }

    [Theory]
    [InlineData("/kpi export audit period:fortnight", "'fortnight' is not a period; use 7d|30d|90d|mtd|qtd|ytd|last-week|last-month")]
    [InlineData("/kpi export audit period:2026-03-05..2026-03-01", "The period must end after it starts")]
    [InlineData("/kpi export payroll", "'payroll' is not an export.")]
    [InlineData("/kpi export audit period:9999-12", "period:9999-12 is out of range. Periods must lie between 2000 and 2999")]
    [InlineData("/kpi export tickets period:9999-12", "period:9999-12 is out of range")]
    [InlineData("/kpi export tickets team:Nowhere", "There is no team 'Nowhere'")]
    [InlineData("/kpi export series team:IT", "Say what to export: tickets, or series and a metric.")]
    [InlineData("/kpi export volume by:category", "A series export takes a metric, a team and a period.")]
    [InlineData("/kpi export audit team:IT", "'team:IT' is not understood here.")]
    [InlineData("/kpi export", "Say what to export.")]
    public async Task In_chat_a_malformed_export_names_the_problem_and_the_correct_form(string text, string problem)
    {
        var reply = await SendAsync("carol", text);

        Assert.Contains(problem, reply, StringComparison.Ordinal);
        Assert.Contains("/kpi export access|audit [period:", reply, StringComparison.Ordinal);
        Assert.Contains("/kpi export tickets [team:NAME] [period:", reply, StringComparison.Ordinal);
        Assert.Contains("/kpi export [series] <metric> [team:NAME] [period:", reply, StringComparison.Ordinal);
        Assert.Empty(await AuditAsync());
    }

    [Theory]
    [InlineData("/api/kpi/export/tickets?team=IT&from=2026-02-20&to=2026-03-02", "tickets", null)]
    [InlineData("/api/kpi/export/series/volume?team=IT&from=2026-02-20&to=2026-03-02&interval=day", "series", "volume")]
    public async Task The_tickets_and_kpi_series_exports_of_the_api_are_audited(string url, string what, string? metric)
    {
        await _app.EventLog.AppendAsync([.. Events.Of("IT-1").Created(Now.AddDays(-5)).List, .. Events.Of("IT-2").Created(Now.AddDays(-3)).List, .. Events.Of("HR-1").Created(Now.AddDays(-3), team: "HR").List]);

        var response = await Keyed().GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = Lines(await response.Content.ReadAsStringAsync()).Length - 1;
        var export = Assert.Single(await AuditAsync(), e => e.Action == AuditActions.Export);
        Assert.Equal($"api:{ApiKeys.Hash(Key)[..12]}", export.Actor);
        Assert.Equal($"{what}.csv", export.Subject);
        Assert.Equal("api", export.Get("via"));
        Assert.Equal("IT", export.Get("team"));
        Assert.Equal(metric, export.Get("metric"));
        Assert.Equal("2026-02-20T00:00:00Z", export.Get("from"));
        Assert.Equal(rows.ToString(System.Globalization.CultureInfo.InvariantCulture), export.Get("rows"));
        Assert.True((await _app.Get<IAuditLog>().VerifyAsync()).IsIntact);
    }

    [Theory]
    [InlineData("/kpi export tickets team:IT period:7d", "tickets", "tickets_it_", null)]
    [InlineData("/kpi csv tickets team:IT period:7d", "tickets", "tickets_it_", null)]
    [InlineData("/kpi export series volume team:IT period:7d", "series", "volume-by-week_it_", "volume")]
    [InlineData("/kpi export volume team:IT period:7d", "series", "volume-by-week_it_", "volume")]
    public async Task In_chat_the_tickets_and_kpi_series_exports_are_posted_and_audited_and_so_is_their_download(string text, string what, string file, string? metric)
    {
        await _app.EventLog.AppendAsync([.. Events.Of("IT-1").Created(Now.AddDays(-5)).List, .. Events.Of("IT-2").Created(Now.AddDays(-3)).List, .. Events.Of("HR-1").Created(Now.AddDays(-3), team: "HR").List]);

        await SendAsync("carol", text);

        var posted = (await _app.Get<IOutbox>().ListConversationAsync("web", "dm-carol", 0)).Select(e => e.Message).Single(m => m.File is not null);
        Assert.StartsWith(file, posted.File!.Name, StringComparison.Ordinal);
        var rows = Lines(Encoding.UTF8.GetString(posted.File.Content)).Length - 1;
        var export = Assert.Single(await AuditAsync(), e => e.Action == AuditActions.Export);
        Assert.Equal("carol", export.Actor);
        Assert.Equal($"{what}.csv", export.Subject);
        Assert.Equal("web", export.Get("via"));
        Assert.Equal("IT", export.Get("team"));
        Assert.Equal(metric, export.Get("metric"));
        Assert.Equal(rows.ToString(System.Globalization.CultureInfo.InvariantCulture), export.Get("rows"));

        var download = await _app.CreateClient().GetAsync(new Uri(posted.File.Url!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var downloaded = Assert.Single(await AuditAsync(), e => e.Action == ItChatBot.Host.Files.FileEndpoints.DownloadAction);
        Assert.Equal(what, downloaded.Get("what"));
        Assert.Equal("carol", downloaded.Get("exportedBy"));
    }

    [Theory]
    [InlineData("/api/export/audit.csv?from=2026-02-25", "seq,at,actor,action,subject,data,prev_hash,hash", true)]
    [InlineData("/api/export/access.csv?from=2026-02-25", "ticket,requester,approver,resource,role,", true)]
    [InlineData("/api/kpi/export/tickets?team=IT&from=2026-02-25&to=2026-03-02", "key,team,category,priority,channel,requester,", true)]
    [InlineData("/api/kpi/export/series/volume?team=IT&from=2026-02-25&to=2026-03-02", "metric,team,from,to,value,count", false)]
    public async Task Every_api_export_says_utf8_and_starts_with_a_byte_order_mark_so_excel_shows_non_ascii_names(string url, string header, bool named)
    {
        await SeedNonAsciiAsync();

        var response = await Keyed().GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("text/csv", "utf-8"), (response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.CharSet));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Bom, bytes.Take(3));
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith(header, text, StringComparison.Ordinal); // one mark, not two
        Assert.Equal(named, text.Contains(NonAscii, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/kpi export audit period:7d")]
    [InlineData("/kpi export access period:7d")]
    [InlineData("/kpi export tickets team:IT period:7d")]
    [InlineData("/kpi export series volume team:IT period:7d")]
    public async Task In_chat_every_export_file_and_its_download_say_utf8_and_start_with_a_byte_order_mark(string text)
    {
        await SeedNonAsciiAsync();

        await SendAsync("carol", text);

        var posted = (await _app.Get<IOutbox>().ListConversationAsync("web", "dm-carol", 0)).Select(e => e.Message).Single(m => m.File is not null);
        Assert.Equal("text/csv; charset=utf-8", posted.File!.ContentType);
        Assert.Equal(Bom, posted.File.Content.Take(3));
        Assert.NotEqual(0xEF, posted.File.Content[3]);
        var download = await _app.CreateClient().GetAsync(new Uri(posted.File.Url!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("utf-8", download.Content.Headers.ContentType?.CharSet);
        Assert.Equal(posted.File.Content, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_audit_csv_with_its_byte_order_mark_still_carries_each_entrys_hashes_and_the_chain_verifies()
    {
        // Audit entries only: ticket events would let the approvals worker add entries while the test runs.
        var audit = _app.Get<IAuditLog>();
        await audit.AppendAsync(AuditRecord.New(Now.AddDays(-2), NonAscii, AuditActions.ApprovalDecided, "IT-1", new Dictionary<string, string> { ["decision"] = "approved", ["reason"] = "ok, go" }));
        await audit.AppendAsync(AuditRecord.New(Now.AddDays(-1), "automation", AuditActions.AccessGranted, "IT-1", new Dictionary<string, string> { ["resource"] = "github" }));
        var before = await AuditAsync();

        var response = await Keyed().GetAsync(new Uri("/api/export/audit.csv?from=2026-02-25", UriKind.Relative));

        // HttpContent drops the mark when it decodes, as Excel and other CSV readers do.
        var lines = Lines(await response.Content.ReadAsStringAsync());
        Assert.Equal("seq,at,actor,action,subject,data,prev_hash,hash", lines[0]);
        var hashes = lines.Skip(1).Select(l => l.Split(',')[^1]).ToList();
        Assert.Equal(before.Select(e => e.Hash), hashes);
        Assert.Contains(lines, l => l.Contains($",{NonAscii},", StringComparison.Ordinal));
        Assert.True((await audit.VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task In_chat_an_employee_is_refused_the_tickets_export_and_the_attempt_is_audited()
    {
        var reply = await SendAsync("erin", "/kpi export tickets team:IT");

        Assert.Contains("Only leads and admins", reply, StringComparison.Ordinal);
        Assert.DoesNotContain((await _app.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0)), e => e.Message.File is not null);
        var refused = Assert.Single(await AuditAsync());
        Assert.Equal("tickets.csv", refused.Subject);
        Assert.Equal("not a lead or admin", refused.Get("refused"));
    }

    private const string NonAscii = "Zoë Łukasz 山田";

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>A ticket, an access grant and an audit entry whose people have names beyond ASCII, as Excel garbled them.</summary>
    private async Task SeedNonAsciiAsync()
    {
        var t = Now.AddDays(-3);
        await _app.EventLog.AppendAsync(
        [
            .. Events.Of("IT-1").Created(t, requester: NonAscii).Approved(t.AddMinutes(20), "dave").List,
            Grant("IT-1", t.AddMinutes(21), "github", t.AddDays(2)),
        ]);
        await _app.Get<IAuditLog>().AppendAsync(AuditRecord.New(t, NonAscii, AuditActions.ApprovalDecided, "IT-1", new Dictionary<string, string> { ["decision"] = "approved" }));
    }

    private HttpClient Keyed()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private async Task<string> SendAsync(string person, string text)
    {
        var response = await _app.CreateClient().PostAsJsonAsync(new Uri("/chat/send", UriKind.Relative), new { person, text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private Task<IReadOnlyList<AuditEntry>> AuditAsync() => _app.Get<IAuditLog>().ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    private static string[] Lines(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    private static TicketEvent Grant(string ticket, DateTimeOffset at, string resource, DateTimeOffset? expires, params (string, string)[] extra) =>
        Event(ticket, EventType.AccessGranted, at,
        [
            (EventData.Resource, resource), (EventData.Role, "member"),
            .. expires is { } x ? new[] { (EventData.ExpiresAt, x.ToString("O", System.Globalization.CultureInfo.InvariantCulture)) } : [],
            .. extra,
        ]);

    private static TicketEvent Event(string ticket, EventType type, DateTimeOffset at, params (string Key, string Value)[] data) =>
        TicketEvent.New(ticket, type, at, "automation", ActorKind.Automation, data.ToDictionary(d => d.Key, d => d.Value));
}
