using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.Cli;
using ItChatBot.Host.WebChat;
using ItChatBot.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary>The chat command, the API and the CLI over the real host give the same numbers, and refuse bad input.</summary>
public sealed class KpiDoorsTests : KpiHostTests
{
    private const string Period = "from=2026-02-01&to=2026-03-01";

    [Theory]
    [InlineData("mttr", "priority")]
    [InlineData("fcr", "category")]
    [InlineData("sla", "priority")]
    [InlineData("csat", "outcome")]
    [InlineData("backlog", "category")]
    public async Task Chat_api_and_cli_give_the_same_numbers(string metric, string by)
    {
        var api = await Client.GetStringAsync($"/api/kpi/{metric}?team=IT&{Period}&by={by}");
        var (code, cli, error) = await Cli("kpi", metric, "--team", "IT", "--from", "2026-02-01", "--to", "2026-03-01", "--by", by, "--format", "json");
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(api, cli.Trim());

        using var json = JsonDocument.Parse(api);
        var root = json.RootElement;
        Assert.Equal(metric, root.GetProperty("metric").GetString());
        Assert.Equal("IT", root.GetProperty("team").GetString());
        Assert.Equal("2026-02-01T00:00:00+00:00", root.GetProperty("from").GetString());
        Assert.True(root.TryGetProperty("previous", out var previous) && previous.TryGetProperty("value", out _));
        var value = root.GetProperty("value").ValueKind == JsonValueKind.Null ? (double?)null : root.GetProperty("value").GetDouble();
        var unit = root.GetProperty("unit").GetString()!;

        var chat = await Send("carol", $"/kpi {metric} team:IT period:2026-02-01..2026-03-01 by:{by}");
        Assert.Contains(Fmt.Value(value, unit), chat.Text, StringComparison.Ordinal);
        foreach (var segment in root.GetProperty("segments").EnumerateArray())
        {
            var v = segment.GetProperty("value").ValueKind == JsonValueKind.Null ? (double?)null : segment.GetProperty("value").GetDouble();
            Assert.Contains($"{segment.GetProperty("key").GetString()} | {Fmt.Value(v, unit)} | {segment.GetProperty("count").GetInt32()}", chat.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_json_has_the_design_shape_with_null_for_no_data()
    {
        var mttr = await Client.GetFromJsonAsync<JsonElement>($"/api/kpi/mttr?team=IT&{Period}");
        Assert.Equal(8.375, mttr.GetProperty("value").GetDouble(), 6);
        Assert.Equal("hours", mttr.GetProperty("unit").GetString());
        Assert.Equal(4, mttr.GetProperty("count").GetInt32());
        Assert.Equal(4, mttr.GetProperty("previous").GetProperty("value").GetDouble(), 6);
        Assert.Equal("P2", mttr.GetProperty("segments")[1].GetProperty("key").GetString());
        Assert.Equal("lower", mttr.GetProperty("better").GetString());
        var volume = await Client.GetFromJsonAsync<JsonElement>($"/api/kpi/volume?team=IT&{Period}");
        Assert.Equal(JsonValueKind.Null, volume.GetProperty("better").ValueKind);

        var empty = await Client.GetFromJsonAsync<JsonElement>("/api/kpi/fcr?team=IT&from=2025-06-01&to=2025-07-01");
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("value").ValueKind);
        Assert.Equal("ratio", empty.GetProperty("unit").GetString());
        Assert.Equal(0, empty.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("/api/kpi/mtr", "'mtr' is not a metric")]
    [InlineData("/api/kpi/mttr?from=yesterday", "from 'yesterday' is not an ISO 8601")]
    [InlineData("/api/kpi/mttr?from=2026-03-01&to=2026-02-01", "must end after it starts")]
    [InlineData("/api/kpi/mttr?team=Nowhere", "There is no team 'Nowhere'")]
    [InlineData("/api/kpi/mttr?by=colour", "by:colour is not a dimension")]
    [InlineData("/api/kpi/mttr?period=fortnight", "'fortnight' is not a period")]
    [InlineData("/api/kpi/charts/pie.png", "There is no chart 'pie'")]
    [InlineData("/api/kpi/volume?period=9999-12", "period:9999-12 is out of range. Periods must lie between 2000 and 2999")]
    [InlineData("/api/kpi/volume?period=0000-01", "period:0000-01 is out of range")]
    [InlineData("/api/kpi/volume?from=0001-01-02&to=2026-01-01", "Periods must lie between 2000-01-01 and 3000-01-01")]
    [InlineData("/api/kpi/volume?period=2999-06-01..9999-12-31", "Periods must lie between 2000-01-01 and 3000-01-01")]
    public async Task Bad_api_parameters_get_400_with_the_reason(string url, string reason)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/kpi mtr", "'mtr' is not a metric")]
    [InlineData("/kpi mttr period:fortnight", "'fortnight' is not a period")]
    [InlineData("/kpi mttr colour", "'colour' is not understood")]
    [InlineData("/kpi mttr by:colour", "by:colour is not a dimension")]
    [InlineData("/kpi mttr team:IT team:HR", "team: is given twice")]
    [InlineData("/kpi mttr period:7d period:2026-02", "period: is given twice")]
    [InlineData("/kpi fcr team:IT by:tech by:priority", "by: is given twice")]
    [InlineData("/kpi mttr period:7d last:30d", "period: is given twice")]
    [InlineData("/kpi mttr period:0000-01", "period:0000-01 is out of range")]
    [InlineData("/kpi mttr period:9999-12", "period:9999-12 is out of range")]
    [InlineData("/kpi volume period:0001-01-02..2026-01-01", "Periods must lie between 2000-01-01 and 3000-01-01")]
    public async Task A_malformed_kpi_command_gets_the_reason_and_the_correct_form(string text, string reason)
    {
        var before = await App.EventLog.CountAsync();
        var reply = await Send("carol", text);
        Assert.True(reply.Ephemeral);
        Assert.Contains(reason, reply.Text, StringComparison.Ordinal);
        Assert.Contains("/kpi <metric> [team:NAME] [period:", reply.Text, StringComparison.Ordinal);
        Assert.Equal(before, await App.EventLog.CountAsync());
    }

    [Fact]
    public async Task Last_is_another_name_for_period()
    {
        // "/kpi csat last:30d" was refused: 'last:' is not an option.
        var last = await Send("carol", "/kpi mttr team:IT last:30d");
        var period = await Send("carol", "/kpi mttr team:IT period:30d");

        Assert.StartsWith("Mean time to resolve · IT", last.Text, StringComparison.Ordinal);
        Assert.Equal(period.Text, last.Text);
    }

    [Theory]
    [InlineData("--period", "0001-01-02..2026-01-01", "Periods must lie between 2000-01-01 and 3000-01-01")]
    [InlineData("--period", "9999-12", "period:9999-12 is out of range")]
    [InlineData("--from", "1999-12-31", "Periods must lie between 2000-01-01 and 3000-01-01")]
    public async Task The_cli_answers_a_period_out_of_range_with_exit_code_2_and_the_reason(string option, string value, string reason)
    {
        var (code, output, error) = await Cli("kpi", "volume", option, value, "--format", "json");
        Assert.Equal(2, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("--format", "xml", "error: --format must be json or text, not 'xml'.")]
    [InlineData("--team", "Nowhere", "error: There is no team 'Nowhere'")]
    public async Task Cli_errors_go_to_stderr_and_nothing_to_stdout(string option, string value, string reason)
    {
        var (code, output, error) = await Cli("kpi", "mttr", option, value);
        Assert.Equal(2, code);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task The_technician_view_answers_the_same_json_by_path_by_query_and_on_the_cli()
    {
        var path = await Client.GetStringAsync($"/api/kpi/tech/A1?{Period}");
        var query = await Client.GetStringAsync($"/api/kpi/tech?tech=A1&{Period}");
        var (code, cli, error) = await Cli("kpi", "tech", "--tech", "A1", "--from", "2026-02-01", "--to", "2026-03-01", "--format", "json");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(path, query);
        Assert.Equal(path, cli.Trim());
        Assert.Equal("A1", JsonDocument.Parse(query).RootElement.GetProperty("tech").GetString());

        var missing = await Client.GetAsync(new Uri("/api/kpi/tech", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("needs a person", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_card_reads_mttr_with_fcr_and_sla_with_csat()
    {
        var card = await Send("carol", "/kpi team:IT period:2026-02-01..2026-03-01");
        Assert.Contains("KPI summary · IT", card.Title, StringComparison.Ordinal);
        Assert.Contains("Slower with rework", card.Text, StringComparison.Ordinal);
        Assert.Contains("Late and noticed", card.Text, StringComparison.Ordinal);
        Assert.Contains("FCR: 25% ↓ worse", card.Text, StringComparison.Ordinal);
        Assert.Contains("MTTR P2 | 13.25 h | 2", card.Text, StringComparison.Ordinal);
        Assert.Contains("<img class=\"card-image\" src=\"/files/", card.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Team_kpis_are_for_leads()
    {
        var reply = await Send("erin", "/kpi summary");
        Assert.Contains("for team leads and admins", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_technician_view_is_for_the_team_leads_and_the_technician_only()
    {
        var refused = await Send("bob", "/kpi tech @alice");
        Assert.Contains("Only Alice Agent's team leads and Alice Agent", refused.Text, StringComparison.Ordinal);
        var self = await Send("alice", "/kpi tech @alice");
        Assert.Contains("Technician view · Alice Agent (L1)", self.Title, StringComparison.Ordinal);
        Assert.Contains("context only", self.Text, StringComparison.Ordinal);

        var selfCheckin = await Send("alice", "/kpi checkin @alice I am great");
        Assert.Contains("Check-in refused", selfCheckin.Title, StringComparison.Ordinal);
        var checkin = await Send("carol", "/kpi checkin @alice Discussed the reopen rate");
        Assert.Contains("Check-in recorded for Alice Agent", checkin.Title, StringComparison.Ordinal);
        var lead = await Send("carol", "/kpi tech @alice");
        Assert.Contains("carol: Discussed the reopen rate", lead.Text, StringComparison.Ordinal);
        var stored = await App.Get<ICheckinStore>().ListAsync("alice");
        Assert.Contains("\"tech\":\"alice\"", Assert.Single(stored).SnapshotJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("erin", "/kpi tech", "You work in no support team's queue")] // was an empty "Technician view · Erin Employee (L1)"
    [InlineData("carol", "/kpi tech @erin", "Erin Employee works in no support team's queue")] // was "Only Erin Employee's team leads…"
    public async Task Someone_who_works_in_no_queue_has_no_technician_view_and_is_told_so(string asker, string command, string said)
    {
        var reply = await Send(asker, command);

        Assert.Equal("No technician view", reply.Title);
        Assert.StartsWith($"No technician view\n{said}, so there is no technician view. It is for the agents of a team's queue (IT, Security, HR, Finance): name one with /kpi tech @user.",
            reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_asks_for_their_own_figures_as_me_or_by_naming_nobody()
    {
        // Before: "There is nobody called 'me' in the directory", and "/kpi tech" alone was "Name the technician."
        var named = await Send("alice", "/kpi tech @alice");
        Assert.Contains("Technician view · Alice Agent (L1)", named.Title, StringComparison.Ordinal);
        Assert.Equal(named.Text, (await Send("alice", "/kpi tech @me")).Text);
        Assert.Equal(named.Text, (await Send("alice", "/kpi tech")).Text);

        var mine = await Send("alice", "/kpi mttr tech:@me");
        Assert.Equal((await Send("alice", "/kpi mttr tech:@alice")).Text, mine.Text);
        Assert.Contains("tech alice", mine.Title, StringComparison.Ordinal);
        // @me is the asker, so it opens nobody else's figures.
        Assert.Contains("Only Bob Builder's team leads and Bob Builder", (await Send("alice", "/kpi tech @bob")).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sarah", "/kpi mttr tech:@alice", "Only Alice Agent's team leads and Alice Agent")]
    [InlineData("bob", "/kpi fcr team:IT tech:@alice", "Only Alice Agent's team leads and Alice Agent")]
    [InlineData("sarah", "/kpi fcr team:IT by:tech", "Only IT's team leads may see its figures per technician")]
    [InlineData("carol", "/kpi fcr by:tech", "add team:NAME for a team you lead")]
    [InlineData("alice", "/kpi fcr team:IT by:tech", "Only IT's team leads")]
    [InlineData("alice", "/kpi backlog tech:@alice", "For your own tickets you can ask for mttr")]
    public async Task Per_technician_figures_follow_the_technician_view_rule(string person, string text, string reason)
    {
        var reply = await Send(person, text);
        Assert.True(reply.Ephemeral);
        Assert.Equal("Per-technician figures refused", reply.Title);
        Assert.Contains(reason, reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("carol", "fcr", "by:tech", "by=tech")]
    [InlineData("admin", "mttr", "by:tech", "by=tech")]
    [InlineData("carol", "mttr", "tech:@alice", "tech=alice")]
    [InlineData("admin", "mttr", "tech:@A1", "tech=A1")]
    [InlineData("alice", "fcr", "tech:@alice", "tech=alice")]
    public async Task Per_technician_figures_are_answered_privately_to_whoever_may_see_them(string person, string metric, string option, string query)
    {
        using var json = JsonDocument.Parse(await Client.GetStringAsync($"/api/kpi/{metric}?team=IT&{Period}&{query}"));
        var root = json.RootElement;
        var unit = root.GetProperty("unit").GetString()!;
        double? Value(JsonElement e) => e.GetProperty("value").ValueKind == JsonValueKind.Null ? null : e.GetProperty("value").GetDouble();

        var reply = await Send(person, $"/kpi {metric} team:IT period:2026-02-01..2026-03-01 {option}");

        Assert.True(reply.Ephemeral);
        Assert.Contains(Fmt.Value(Value(root), unit), reply.Text, StringComparison.Ordinal);
        foreach (var segment in root.GetProperty("segments").EnumerateArray())
        {
            Assert.Contains($"{segment.GetProperty("key").GetString()} | {Fmt.Value(Value(segment), unit)} | {segment.GetProperty("count").GetInt32()}", reply.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_per_technician_table_in_chat_names_the_technicians_and_the_api_keeps_their_ids()
    {
        await App.Get<ItChatBot.Core.Directory.IDirectory>().UpsertAsync(new ItChatBot.Core.Directory.Person { Id = "A1", DisplayName = "Ada One", Email = "ada@example.com" });
        using var json = JsonDocument.Parse(await Client.GetStringAsync($"/api/kpi/fcr?team=IT&{Period}&by=tech"));
        var a1 = json.RootElement.GetProperty("segments").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "A1");

        var reply = await Send("carol", "/kpi fcr team:IT period:2026-02-01..2026-03-01 by:tech");

        Assert.Contains($"Ada One | {Fmt.Pct(a1.GetProperty("value").GetDouble())} | {a1.GetProperty("count").GetInt32()}", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("A1 |", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_technician_view_counts_escalations_made_and_received_apart()
    {
        var a1 = await Client.GetFromJsonAsync<JsonElement>($"/api/kpi/tech/A1?{Period}");
        Assert.Equal(1, a1.GetProperty("escalationsMade").GetInt32());
        Assert.Equal(0, a1.GetProperty("escalationsReceived").GetInt32());
        // A1 was assigned IT-2, IT-3 and IT-6 and escalated one of them.
        Assert.Equal(3, a1.GetProperty("assigned").GetInt32());
        Assert.Equal(1 / 3d, a1.GetProperty("escalationRate").GetProperty("value").GetDouble(), 5);
        Assert.Equal(0.7, a1.GetProperty("fcr").GetProperty("target").GetDouble(), 5);
        var a2 = await Client.GetFromJsonAsync<JsonElement>($"/api/kpi/tech/A2?{Period}");
        Assert.Equal(1, a2.GetProperty("escalationsReceived").GetInt32());
        Assert.Equal(3.5, a2.GetProperty("mttr").GetProperty("value").GetDouble(), 5);
        Assert.Equal(6, a2.GetProperty("trend").GetArrayLength());
    }

    [Fact]
    public async Task Exports_and_charts()
    {
        var csv = await Client.GetStringAsync($"/api/kpi/export/tickets?team=IT&{Period}");
        var lines = csv.TrimEnd().Split("\r\n");
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("key,team,category,priority", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("IT-2,IT,hardware,P2,", StringComparison.Ordinal) && l.EndsWith(",unassisted,breached", StringComparison.Ordinal));

        var series = await Client.GetStringAsync($"/api/kpi/export/series/volume?team=IT&{Period}&interval=week");
        var rows = series.TrimEnd().Split("\r\n");
        Assert.Equal("metric,team,from,to,value,count", rows[0]);
        Assert.Equal("volume,IT,2026-02-01T00:00:00Z,2026-02-08T00:00:00Z,5,5", rows[1]);
        Assert.Equal(5, rows.Length);

        foreach (var chart in KpiChartsNames)
        {
            var png = await Client.GetByteArrayAsync($"/api/kpi/charts/{chart}.png?team=IT&{Period}");
            Assert.Equal([0x89, 0x50, 0x4E, 0x47], png.Take(4));
        }
    }

    private static readonly string[] KpiChartsNames = ["backlog", "ai-rate", "ttr", "sla"];

    private async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.BuildRoot(App.Services, output, error).Parse(args).InvokeAsync();
        return (code, output.ToString(), error.ToString());
    }

    private async Task<ChatMessage> Send(string person, string text)
    {
        var response = await Client.PostAsJsonAsync("/chat/send", new { person, text });
        response.EnsureSuccessStatusCode();
        return Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);
    }
}
