using System.Net.Http.Json;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.Cli;
using ItChatBot.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary><c>itchatbot import FILE.csv</c> with Jira- and Freshservice-style exports.</summary>
public sealed class CsvImportTests : IDisposable
{
    private readonly ItChatBotApp _app = new();
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _app.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_jira_export_becomes_events_and_bad_rows_are_reported_by_line()
    {
        var file = _folder.File("jira.csv");
        await File.WriteAllTextAsync(file, string.Join("\n",
            "Issue key,Summary,Issue Type,Priority,Reporter,Assignee,Created,Resolved,Custom field (Request Type),Satisfaction rating,Sprint",
            "IT-501,VPN down,Incident,High,erin,alice,02/Feb/26 9:00 AM,02/Feb/26 1:00 PM,vpn,5,S1",
            "IT-502,\"Laptop, cracked screen\",Incident,Medium,frank,,2026-02-03T10:00:00Z,,hardware,,S1",
            "IT-503,Bad date,Incident,Low,erin,,yesterday,,general,,S1",
            "IT-504,Bad priority,Incident,Whenever,erin,,2026-02-03T10:00:00Z,,general,,S1",
            "HR-9,\"Multi-line\nsubject\",Task,Lowest,erin,hana,2026-02-04 09:00:00,2026-02-04 10:30:00,Payroll,2,S2",
            "IT-505,Resolved before created,Incident,Low,erin,,2026-02-05T10:00:00Z,2026-02-04T10:00:00Z,general,,S1"));

        var (code, output) = await Cli("import", file);
        Assert.Equal(1, code);
        Assert.Contains("line 4: created 'yesterday' is not a date", output, StringComparison.Ordinal);
        Assert.Contains("line 5: Priority 'Whenever' is not known", output, StringComparison.Ordinal);
        Assert.Contains("line 8: The resolution", output, StringComparison.Ordinal);
        Assert.Contains("6 rows", output, StringComparison.Ordinal);
        Assert.Contains("3 rejected", output, StringComparison.Ordinal);

        var engine = _app.Get<KpiEngine>();
        var from = KpiHistory.At("2026-02-01T00:00");
        var to = KpiHistory.At("2026-03-01T00:00");
        var mttr = await engine.ComputeAsync(new KpiRequest("mttr", "IT", from, to));
        Assert.Equal(4, mttr.Value); // IT-501: 09:00 → 13:00
        Assert.Equal("P2", Assert.Single(mttr.Segments).Key);
        Assert.Equal(2, (await engine.ComputeAsync(new KpiRequest("volume", "IT", from, to))).Value);
        var hr = await engine.ComputeAsync(new KpiRequest("csat", "HR", from, to));
        Assert.Equal(0, hr.Value);
        Assert.Equal(1, hr.Count);

        var events = await _app.EventLog.CountAsync();
        var (again, second) = await Cli("import", file);
        Assert.Equal(1, again);
        Assert.Contains("0 events imported", second, StringComparison.Ordinal);
        Assert.Equal(events, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_freshservice_export_with_a_reopen_and_an_escalation()
    {
        var file = _folder.File("fresh.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n",
            "Ticket Id,Subject,Group,Priority,Requester Email,Agent,Created Date,First Resolved,Reopened,Resolved Date,Escalated,Category,Customer Satisfaction,Tags",
            "77,Printer,IT,Urgent,erin@example.com,bob,2026-02-02 09:00:00,2026-02-02 10:00:00,2026-02-02 11:00:00,2026-02-02 12:00:00,yes,Hardware,Extremely Happy,x"));

        var (code, output) = await Cli("import", file);
        Assert.True(code == 0, output);
        var engine = _app.Get<KpiEngine>();
        var from = KpiHistory.At("2026-02-01T00:00");
        var to = KpiHistory.At("2026-03-01T00:00");
        var fcr = await engine.ComputeAsync(new KpiRequest("fcr", "IT", from, to));
        Assert.Equal(0, fcr.Value); // reopened and escalated
        Assert.Equal(1, (await engine.ComputeAsync(new KpiRequest("escalation", "IT", from, to))).Value);
        Assert.Equal(3, (await engine.ComputeAsync(new KpiRequest("mttr", "IT", from, to))).Value);
        Assert.Equal(1, (await engine.ComputeAsync(new KpiRequest("csat", "IT", from, to))).Value);
        Assert.NotNull(await _app.EventLog.ReadTicketAsync("IT-77"));
    }

    [Fact]
    public async Task An_escalated_row_keeps_its_assignee_who_received_the_escalation_rather_than_made_it()
    {
        var file = _folder.File("escalated.csv");
        await File.WriteAllTextAsync(file, string.Join("\n",
            "Issue key,Priority,Reporter,Assignee,Created,Resolved,Escalated",
            "IT-601,High,erin,alice,2026-02-02 09:00,2026-02-02 13:00,yes",
            "IT-602,High,erin,alice,2026-02-03 09:00,2026-02-03 13:00,no"));

        var (code, output) = await Cli("import", file);
        Assert.True(code == 0, output);
        var from = KpiHistory.At("2026-02-01T00:00");
        var to = KpiHistory.At("2026-03-01T00:00");
        var mttr = await _app.Get<KpiEngine>().ComputeAsync(new KpiRequest("mttr", "IT", from, to, By: "tech"));
        var alice = Assert.Single(mttr.Segments);
        Assert.Equal("alice", alice.Key);
        Assert.Equal(2, alice.Count);
        Assert.Equal(4, alice.Value);

        // The export does not say who escalated: alice received it, she did not make it.
        var view = await _app.Get<TechnicianView>().ComputeAsync("alice", new KpiRequest("tech", null, from, to), CancellationToken.None);
        Assert.Equal(0, view["escalationsMade"]);
        Assert.Equal(1, view["escalationsReceived"]);
        Assert.Equal(2, view["assigned"]);

        var (again, second) = await Cli("import", file);
        Assert.True(again == 0, second);
        Assert.Contains("0 events imported", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_impossible_date_is_rejected_rather_than_read_as_another_year_and_the_export_formats_still_read()
    {
        var file = _folder.File("dates.csv");
        await File.WriteAllTextAsync(file, string.Join("\n",
            "Issue key,Priority,Reporter,Created,Resolved",
            "IT-701,High,erin,31/Feb/26 10:00 AM,",
            "IT-702,High,erin,2/Feb/26 9:00 AM,02/Feb/26 1:00 PM",
            "IT-703,High,erin,2026-02-03T09:00:00.000+0100,2026-02-03 12:00",
            "IT-704,High,erin,02/04/2026 09:00,2/4/2026 11:30:00",
            "IT-705,High,erin,\"Thu, 5 Feb, 2026 9:00 AM\",2026-02-06"));

        var (code, output) = await Cli("import", file);

        Assert.Equal(1, code);
        Assert.Contains("line 2: created '31/Feb/26 10:00 AM' is not a date", output, StringComparison.Ordinal);
        Assert.True(output.Contains("5 rows: 8 events imported, 0 already present, 1 rejected.", StringComparison.Ordinal), output);
        Assert.Empty(await _app.EventLog.ReadTicketAsync("IT-701"));
        var created = new List<DateTimeOffset>();
        foreach (var key in new[] { "IT-702", "IT-703", "IT-704", "IT-705" })
        {
            created.Add((await _app.EventLog.ReadTicketAsync(key))[0].At);
        }

        Assert.Equal(
            [KpiHistory.At("2026-02-02T09:00"), KpiHistory.At("2026-02-03T08:00"), KpiHistory.At("2026-02-04T09:00"), KpiHistory.At("2026-02-05T09:00")],
            created);
    }

    [Fact]
    public async Task A_quote_never_closed_is_reported_at_its_row_rather_than_swallowing_the_rows_after_it()
    {
        var file = _folder.File("unclosed.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n",
            "Issue key,Summary,Priority,Reporter,Created",
            "IT-801,\"Fine,\r\nquoted\",High,erin,2026-02-02 09:00",
            "IT-802,\"Broken, summary,High,erin,2026-02-02 10:00",
            "IT-803,Unread,High,erin,2026-02-02 11:00",
            "IT-804,Unread too,High,erin,2026-02-02 12:00"));

        var (code, output) = await Cli("import", file);

        Assert.Equal(1, code);
        Assert.Contains("line 4: A quoted field in this row is never closed, so the rest of the file from line 4 was not read", output, StringComparison.Ordinal);
        Assert.True(output.Contains("1 rows: 1 events imported, 0 already present, 1 rejected.", StringComparison.Ordinal), output);
        Assert.Equal("Fine,\r\nquoted", (await _app.EventLog.ReadTicketAsync("IT-801"))[0].Get(Core.Tickets.EventData.Subject));
        Assert.Empty(await _app.EventLog.ReadTicketAsync("IT-802"));
    }

    [Fact]
    public async Task A_jira_first_response_date_becomes_the_assignees_response_so_the_response_sla_is_met_when_it_was()
    {
        // Columns as Jira Service Management Cloud writes them; "Time to first response" is the SLA's time left, not a time.
        var file = _folder.File("jsm.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n",
            "Summary,Issue key,Issue Type,Status,Priority,Assignee,Reporter,Created,Resolved,Custom field (Time to first response),Satisfaction rating,Custom field (Satisfaction date),Custom field ([CHART] Date of First Response)",
            "VPN down,IT-901,Incident,Closed,High,alice,erin,02/Feb/26 9:00 AM,02/Feb/26 1:00 PM,00:40,4.0,03/Feb/26 10:00 AM,2026-02-02 09:20:00.000",
            "Printer,IT-902,Incident,Resolved,High,bob,erin,02/Feb/26 9:00 AM,03/Feb/26 12:00 PM,-18:00,,,2026-02-03 11:00:00.000"));

        var (code, output) = await Cli("import", file);

        Assert.True(code == 0, output);
        var from = KpiHistory.At("2026-02-01T00:00");
        var to = KpiHistory.At("2026-03-01T00:00");
        var engine = _app.Get<KpiEngine>();
        var frt = await engine.ComputeAsync(new KpiRequest("frt", "IT", from, to));
        Assert.Equal(2, frt.Count);
        var response = (Dictionary<string, object?>)(await engine.ComputeAsync(new KpiRequest("sla", "IT", from, to))).Extra["response"]!;
        Assert.Equal((1, 1), ((int)response["met"]!, (int)response["breached"]!)); // P2: an hour of business time to answer

        var events = await _app.EventLog.ReadTicketAsync("IT-901");
        var responded = Assert.Single(events, e => e.Type == Core.Tickets.EventType.Responded);
        Assert.Equal(("alice", Core.Tickets.ActorKind.Agent, KpiHistory.At("2026-02-02T09:20")), (responded.Actor, responded.ActorKind, responded.At));
        Assert.Equal(KpiHistory.At("2026-02-02T13:00"), Assert.Single(events, e => e.Type == Core.Tickets.EventType.Closed).At);
        var survey = Assert.Single(events, e => e.Type == Core.Tickets.EventType.SurveyAnswered);
        Assert.Equal((KpiHistory.At("2026-02-03T10:00"), "4"), (survey.At, survey.Get(Core.Tickets.EventData.Score)));
        Assert.DoesNotContain(await _app.EventLog.ReadTicketAsync("IT-902"), e => e.Type == Core.Tickets.EventType.Closed);

        var count = await _app.EventLog.CountAsync();
        var (again, second) = await Cli("import", file);
        Assert.True(again == 0, second);
        Assert.Contains("0 events imported", second, StringComparison.Ordinal);
        Assert.Equal(count, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task A_freshservice_initial_response_closed_time_and_survey_result_are_imported_and_an_unknown_rating_keeps_the_ticket()
    {
        var file = _folder.File("freshservice.csv");
        await File.WriteAllTextAsync(file, string.Join("\r\n",
            "Ticket Id,Subject,Status,Priority,Group,Agent,Requester Email,Created Time,Resolved Time,Closed Time,Initial Response Time,First Response Time (in Hrs),Survey Result,Category",
            "1001,Laptop,Closed,Medium,IT,bob,erin@example.com,2026-02-02 09:00:00,2026-02-02 12:00:00,2026-02-04 12:00:00,2026-02-02 09:30:00,0.5,Very Happy,Hardware",
            "1002,Mouse,Resolved,Medium,IT,bob,erin@example.com,2026-02-02 10:00:00,2026-02-02 11:00:00,,2026-02-02 10:10:00,0.17,Awesome,Hardware",
            "1003,Screen,Closed,Medium,IT,bob,erin@example.com,2026-02-02 10:00:00,2026-02-02 11:00:00,2026-02-02 10:30:00,,,,Hardware",
            "1004,Keyboard,Open,Medium,IT,bob,erin@example.com,2026-02-02 10:00:00,,,2026-02-02 09:59:00,,,Hardware",
            "1005,Dock,Closed,Medium,IT,bob,erin@example.com,2026-02-02 10:00:00,,2026-02-02 12:00:00,,,,Hardware"));

        var (code, output) = await Cli("import", file);

        Assert.Equal(1, code);
        Assert.Contains("line 3: Satisfaction 'Awesome' is not a score from 1 to 5 or a known rating", output, StringComparison.Ordinal);
        Assert.Contains("line 4: The closing (2026-02-02 10:30:00Z) is before the resolution", output, StringComparison.Ordinal);
        Assert.Contains("line 5: The first response (2026-02-02 09:59:00Z) is before the creation", output, StringComparison.Ordinal);
        Assert.Contains("line 6: A closing time needs the resolution time", output, StringComparison.Ordinal);
        Assert.Contains("3 rejected", output, StringComparison.Ordinal);

        var first = await _app.EventLog.ReadTicketAsync("IT-1001");
        Assert.Equal(
            [Core.Tickets.EventType.Created, Core.Tickets.EventType.Assigned, Core.Tickets.EventType.Responded, Core.Tickets.EventType.Resolved,
             Core.Tickets.EventType.SurveyAnswered, Core.Tickets.EventType.Closed],
            first.Select(e => e.Type));
        Assert.Equal(KpiHistory.At("2026-02-04T12:00"), first[^1].At);
        var kept = await _app.EventLog.ReadTicketAsync("IT-1002");
        Assert.Contains(kept, e => e.Type == Core.Tickets.EventType.Resolved);
        Assert.DoesNotContain(kept, e => e.Type == Core.Tickets.EventType.SurveyAnswered);

        var from = KpiHistory.At("2026-02-01T00:00");
        var to = KpiHistory.At("2026-03-01T00:00");
        var csat = await _app.Get<KpiEngine>().ComputeAsync(new KpiRequest("csat", "IT", from, to));
        Assert.Equal((1, (double?)1.0), (csat.Count, csat.Value));
        Assert.Equal(2, (await _app.Get<KpiEngine>().ComputeAsync(new KpiRequest("frt", "IT", from, to))).Count);
    }

    [Fact]
    public async Task A_file_starting_with_a_byte_order_mark_reads_its_first_column_and_non_ascii_names()
    {
        // Jira and Freshservice write their exports with one, and so do ours: the BOM must not become part of "Ticket Id".
        var file = _folder.File("bom.csv");
        await File.WriteAllTextAsync(file, "Ticket Id,Group,Priority,Requester Name,Agent,Created Time\r\n77,IT,High,Zoë Łukasz 山田,bob,2026-02-02 09:00:00\r\n",
            new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal([0xEF, 0xBB, 0xBF], (await File.ReadAllBytesAsync(file)).Take(3));

        var (code, output) = await Cli("import", file);

        Assert.True(code == 0, output);
        var created = Assert.Single(await _app.EventLog.ReadTicketAsync("IT-77"), e => e.Type == Core.Tickets.EventType.Created);
        Assert.Equal("Zoë Łukasz 山田", created.Get(Core.Tickets.EventData.Requester));
    }

    [Fact]
    public async Task A_file_without_key_or_creation_columns_is_refused()
    {
        var file = _folder.File("odd.csv");
        await File.WriteAllTextAsync(file, "Name,When\nx,y\n");
        var (code, output) = await Cli("import", file);
        Assert.Equal(1, code);
        Assert.Contains("line 1: The header needs a key column", output, StringComparison.Ordinal);
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task An_empty_log_answers_no_data()
    {
        using var client = _app.CreateClient();
        var summary = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/kpi/summary?team=IT");
        Assert.Equal(0, summary.GetProperty("value").GetInt32());
        foreach (var metric in summary.GetProperty("metrics").EnumerateArray())
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, metric.GetProperty("value").ValueKind);
        }
    }

    private async Task<(int Code, string Output)> Cli(params string[] args)
    {
        using var output = new StringWriter();
        var code = await CommandLine.BuildRoot(_app.Services, output).Parse(args).InvokeAsync();
        return (code, output.ToString());
    }
}
