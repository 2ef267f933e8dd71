using System.Net;
using System.Net.Http.Json;
using System.Text;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Host.WebChat;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;

namespace ItChatBot.Host.Tests;

public sealed class HostTests : IDisposable
{
    private readonly ItChatBotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Health_answers_ok()
    {
        using var client = _app.CreateClient();

        var health = await client.GetFromJsonAsync<Health>("/healthz");

        Assert.Equal("ok", health!.Status);
    }

    [Fact]
    public async Task Health_answers_503_naming_why_once_the_store_cannot_be_read()
    {
        using var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        // What LiteDB does after a fault it cannot recover from: its engine closes, and every read fails from then on.
        _app.Get<LiteDbStore>().Database.Dispose();
        var cause = await Assert.ThrowsAnyAsync<Exception>(() => _app.EventLog.CountAsync());
        using var answer = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Equal("The store cannot be read", problem!.Title);
        Assert.Equal($"{cause.GetType().Name}: {cause.Message}", problem.Detail);
    }

    [Fact]
    public async Task A_message_in_the_local_chat_opens_a_ticket_and_answers_with_its_card()
    {
        using var client = _app.CreateClient();

        var card = await WebChatDriver.OpenTicketAsync(client, "erin", "My laptop screen is flickering");

        Assert.Equal("IT-1", card.Ticket);
        Assert.StartsWith("IT-1: My laptop screen is flickering", card.Title, StringComparison.Ordinal);
        Assert.Contains("data-action-id=\"ticket.status\"", card.Html, StringComparison.Ordinal);
        Assert.Contains("Category: hardware", card.Text, StringComparison.Ordinal);

        var ticket = await _app.Get<ITicketStore>().GetAsync("IT-1");
        Assert.Equal(("erin", "hardware", "web"), (ticket!.Requester, ticket.Category, ticket.Channel));

        var later = await client.GetFromJsonAsync<ChatResponse>("/chat/messages?conversation=dm-erin&person=erin");
        Assert.Contains(later!.Messages, m => m.Id == card.Id);
    }

    [Fact]
    public async Task A_request_that_starts_a_workflow_is_answered_with_the_messages_the_workflow_put_in_the_conversation()
    {
        using var client = _app.CreateClient();

        // Before: the answer held no message at all (the workflow enqueues its own, which are no reply of the turn), and
        // only a poll of /chat/messages showed the receipt and the reset.
        using var sent = await client.PostAsJsonAsync("/chat/send", new SendRequest("erin", "I forgot my password", null, null, null));
        var answer = await sent.Content.ReadFromJsonAsync<ChatResponse>();

        Assert.Contains(answer!.Messages, m => m.Title == "Your password was reset");
        Assert.Contains(answer.Messages, m => m.Ticket == "IT-1" && m.Title.StartsWith("IT-1: I forgot my password", StringComparison.Ordinal));
        var polled = await client.GetFromJsonAsync<ChatResponse>("/chat/messages?conversation=dm-erin&person=erin");
        Assert.Equal(polled!.Messages.Select(m => m.Id), answer.Messages.Select(m => m.Id));

        // A message that starts nothing is answered as before: its reply, once.
        using var hi = await client.PostAsJsonAsync("/chat/send", new SendRequest("erin", "hi", null, null, null));
        Assert.Equal("What do you need?", Assert.Single((await hi.Content.ReadFromJsonAsync<ChatResponse>())!.Messages).Title);
    }

    [Fact]
    public async Task The_same_client_message_sent_twice_opens_one_ticket()
    {
        using var client = _app.CreateClient();
        var first = await WebChatDriver.SendAsync(client, "erin", "VPN will not connect", "same");
        var stored = await Stored();

        var second = await WebChatDriver.SendAsync(client, "erin", "VPN will not connect", "same");

        Assert.False(first.Duplicate);
        Assert.NotEmpty(first.Messages);
        Assert.True(second.Duplicate);
        Assert.Empty(second.Messages);
        Assert.Equal(stored, await Stored());
    }

    [Fact]
    public async Task Status_and_help_commands_answer_in_the_chat()
    {
        using var client = _app.CreateClient();
        await WebChatDriver.OpenTicketAsync(client, "erin", "printer jammed");

        var status = await Send(client, "erin", "/it status IT-1");
        var help = await Send(client, "erin", "/it help");
        var other = await Send(client, "frank", "/it status IT-1");

        Assert.Contains("Status: New", status.Text, StringComparison.Ordinal);
        Assert.True(status.Ephemeral);
        Assert.Contains("/it status [KEY]", help.Text, StringComparison.Ordinal);
        // An employee's help leaves out the agents' and the admins' verbs; an agent's has them.
        Assert.DoesNotContain("/it claim", help.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/it role", help.Text, StringComparison.Ordinal);
        var agentHelp = await Send(client, "alice", "/it help");
        Assert.Contains("/it claim KEY", agentHelp.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/it role", agentHelp.Text, StringComparison.Ordinal);
        var kpiHelp = await Send(client, "erin", "/kpi help");
        Assert.Contains("The /kpi commands are for leads, agents, admins.", kpiHelp.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/kpi backlog", kpiHelp.Text, StringComparison.Ordinal);
        Assert.Contains("not yours to see", other.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_alone_lists_the_senders_own_open_requests_newest_first_and_names_those_resolved_lately()
    {
        using var client = _app.CreateClient();
        var first = (await WebChatDriver.OpenTicketAsync(client, "erin", "printer jammed")).Ticket!;
        var second = (await WebChatDriver.OpenTicketAsync(client, "erin", "my monitor flickers all day")).Ticket!;
        var third = (await WebChatDriver.OpenTicketAsync(client, "erin", "the docking station is dead")).Ticket!;
        var franks = (await WebChatDriver.OpenTicketAsync(client, "frank", "keyboard missing keys")).Ticket!;
        var resolved = await WebChatDriver.SendAsync(client, "alice", $"/it resolve {second} replaced the monitor");
        Assert.Contains(resolved.Messages, m => m.Title == $"{second} is resolved");

        var erins = await Send(client, "erin", "/it status");
        var frank = await Send(client, "frank", "/it status");
        var carol = await Send(client, "carol", "/it status");

        Assert.True(erins.Ephemeral);
        Assert.Equal("Your open requests (2)", erins.Title);
        var rows = erins.Text.Split('\n').Where(l => l.Contains(" | ", StringComparison.Ordinal) && !l.StartsWith("ticket |", StringComparison.Ordinal)).ToList();
        Assert.Equal([third, first], rows.Select(r => r.Split(" | ")[0]));
        Assert.Contains("the docking station is dead", rows[0], StringComparison.Ordinal);
        // The resolved one is not among the open ones: it is named under them, as resolved lately.
        Assert.Contains($"Resolved in the last 7 days: {second} my monitor flickers all day", erins.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(franks, erins.Text, StringComparison.Ordinal);
        Assert.Contains(franks, frank.Text, StringComparison.Ordinal);
        Assert.Equal("Your open requests", carol.Title);
        Assert.Contains("You have no open requests", carol.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(MyRequests.AssignedHint, erins.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_my_open_tickets_in_words_lists_them_and_tells_an_agent_where_their_assigned_ones_are()
    {
        using var client = _app.CreateClient();
        var erins = (await WebChatDriver.OpenTicketAsync(client, "erin", "printer jammed")).Ticket!;

        // Before: "what are my open tickets?" was taken for an access request and asked "which application?".
        var erin = await Send(client, "erin", "what are my open tickets?");
        var alice = await Send(client, "alice", "show me my tickets");

        Assert.Equal("Your open requests (1)", erin.Title);
        Assert.Contains(erins, erin.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(MyRequests.AssignedHint, erin.Text, StringComparison.Ordinal);
        Assert.Equal("Your open requests", alice.Title);
        Assert.Contains(MyRequests.AssignedHint, alice.Text, StringComparison.Ordinal);
        Assert.Single(await _app.Get<ITicketStore>().QueryAsync(new TicketQuery { Limit = 10 }));
    }

    [Fact]
    public async Task A_malformed_command_says_what_was_wrong_and_the_right_form()
    {
        using var client = _app.CreateClient();

        var reply = await Send(client, "erin", "/it status banana");
        var unknown = await Send(client, "erin", "/nosuch thing");

        Assert.Contains("'banana' is not a ticket key", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Use: /it status [KEY]", reply.Text, StringComparison.Ordinal);
        Assert.Contains("There is no command /nosuch", unknown.Text, StringComparison.Ordinal);
        Assert.Equal(0, await _app.EventLog.CountAsync());
    }

    [Fact]
    public async Task Pressing_a_card_button_is_handled()
    {
        using var client = _app.CreateClient();
        await WebChatDriver.OpenTicketAsync(client, "erin", "need a new mouse");

        var response = await client.PostAsJsonAsync("/chat/actions", new { person = "erin", actionId = "ticket.withdraw", value = "IT-1" });

        response.EnsureSuccessStatusCode();
        var replies = (await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages;
        Assert.Contains(replies, m => m.Ticket == "IT-1" && m.Text.Contains("Withdrawn", StringComparison.Ordinal));
        Assert.Equal(Core.Tickets.TicketStatus.Resolved, (await _app.Get<ITicketStore>().GetAsync("IT-1"))!.Status);
    }

    public static TheoryData<string, string, string> BadRequests() => new()
    {
        { "/chat/send", "{\"person\": \"erin\", \"text\": ", "not valid JSON" },
        { "/chat/send", "[1,2]", "not valid JSON" },
        { "/chat/send", "{\"person\": \"erin\"}", "'text' is required" },
        { "/chat/send", "{\"person\": \"nobody\", \"text\": \"hi\"}", "'person' must be" },
        { "/chat/send", "{\"person\": \"erin\", \"text\": \"" + new string('x', 4001) + "\"}", "the most is 4000" },
        { "/chat/actions", "{\"person\": \"erin\", \"actionId\": \"ticket.explode\", \"value\": \"IT-1\"}", "must name a button" },
        { "/chat/actions", "{\"person\": \"erin\", \"actionId\": \"nothing\", \"value\": \"IT-1\"}", "must name a button" },
        { "/chat/actions", "{\"person\": \"erin\", \"actionId\": \"ticket.status\"}", "'value' is required" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_400_with_the_reason_and_stores_nothing(string path, string body, string reason)
    {
        using var client = _app.CreateClient();
        var before = await Stored();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Problem>();
        Assert.Contains(reason, problem!.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await Stored());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused()
    {
        using var client = _app.CreateClient();

        using var content = new StringContent("person=erin&text=hi", Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await client.PostAsync("/chat/send", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be JSON", (await response.Content.ReadFromJsonAsync<Problem>())!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_answers_loopback_only_while_no_key_is_configured_and_needs_the_key_once_one_is()
    {
        const string key = "s3cret-key";
        using var keyed = new ItChatBotApp(new Dictionary<string, string?> { ["Api:Keys:0"] = Api.ApiKeys.Hash(key) });
        using var client = keyed.CreateClient();

        var without = await client.GetAsync("/api/nothing-here");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/nothing-here");
        request.Headers.Authorization = new("Bearer", key);
        var with = await client.SendAsync(request);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/nothing-here");
        wrong.Headers.Authorization = new("Bearer", "guess");
        var guessed = await client.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, guessed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, with.StatusCode);
    }

    [Fact]
    public async Task The_web_chat_and_the_keyless_api_refuse_other_machines_and_store_nothing()
    {
        using var client = _app.CreateClient();
        await WebChatDriver.OpenTicketAsync(client, "erin", "My laptop screen is flickering");
        var before = await Stored();
        var status = (await _app.Get<ITicketStore>().GetAsync("IT-1"))!.Status;

        // Someone on the network says they are dave, erin's manager, and presses approve.
        var act = await FromAsync("10.0.0.5", "POST", "/chat/actions", """{"person":"dave","actionId":"ticket.status","value":"IT-1"}""");
        var send = await FromAsync("10.0.0.5", "POST", "/chat/send", """{"person":"dave","text":"/it resolve IT-1"}""");
        var people = await FromAsync("192.168.1.20", "GET", "/chat/people");
        var api = await FromAsync("10.0.0.5", "GET", "/api/kpi/volume");
        var local = await FromAsync("::ffff:127.0.0.1", "GET", "/chat/people");

        Assert.Equal((403, 403, 403, 401, 200), (act.Status, send.Status, people.Status, api.Status, local.Status));
        Assert.Contains("answers only on this machine (loopback)", act.Body, StringComparison.Ordinal);
        Assert.Contains("No API key is configured", api.Body, StringComparison.Ordinal);
        Assert.Equal(before, await Stored());
        Assert.Equal(status, (await _app.Get<ITicketStore>().GetAsync("IT-1"))!.Status);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    [InlineData("Host", "desk.example.com")]
    [InlineData("Host", "attacker.example:5080")]
    public async Task A_request_relayed_to_loopback_by_a_tunnel_or_sent_to_a_rebound_name_is_not_local(string header, string value)
    {
        using var client = _app.CreateClient();
        await WebChatDriver.OpenTicketAsync(client, "erin", "My laptop screen is flickering");
        var before = await Stored();
        var status = (await _app.Get<ITicketStore>().GetAsync("IT-1"))!.Status;
        var headers = new Dictionary<string, string> { [header] = value };

        // ngrok or a reverse proxy on this machine connects from 127.0.0.1 for someone on the internet; a page that
        // rebound its own name to 127.0.0.1 does too. Neither may say they are dave and resolve erin's ticket.
        var send = await FromAsync("127.0.0.1", "POST", "/chat/send", """{"person":"dave","text":"/it resolve IT-1"}""", headers);
        var act = await FromAsync("127.0.0.1", "POST", "/chat/actions", """{"person":"erin","actionId":"ticket.withdraw","value":"IT-1"}""", headers);
        var people = await FromAsync("127.0.0.1", "GET", "/chat/people", headers: headers);
        var api = await FromAsync("127.0.0.1", "GET", "/api/kpi/volume", headers: headers);
        var local = await FromAsync("127.0.0.1", "GET", "/chat/people", headers: new() { ["Host"] = "127.0.0.1:5080" });

        Assert.Equal((403, 403, 403, 401, 200), (send.Status, act.Status, people.Status, api.Status, local.Status));
        Assert.Contains("answers only on this machine (loopback)", send.Body, StringComparison.Ordinal);
        Assert.Equal(before, await Stored());
        Assert.Equal(status, (await _app.Get<ITicketStore>().GetAsync("IT-1"))!.Status);
    }

    [Fact]
    public async Task A_query_parameter_of_the_wrong_type_gets_400_with_the_reason()
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri("/chat/messages?conversation=dm-erin&person=erin&after=yesterday", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'after' must be a whole number", (await response.Content.ReadFromJsonAsync<Problem>())!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_body_far_larger_than_any_message_is_refused_with_the_reason_and_stores_nothing()
    {
        using var client = _app.CreateClient();
        var before = await Stored();

        // Well-formed, with a valid text, but padded with a field nobody reads: it must not be read into memory whole.
        var body = $$"""{"person":"erin","text":"printer jammed","pad":"{{new string('x', 200_000)}}"}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri("/chat/send", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("the most is 65536 bytes", (await response.Content.ReadFromJsonAsync<Problem>())!.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await Stored());
    }

    [Fact]
    public async Task The_api_takes_the_bearer_scheme_in_any_case_and_a_refusal_names_the_scheme()
    {
        const string key = "s3cret-key";
        using var keyed = new ItChatBotApp(new Dictionary<string, string?> { ["Api:Keys:0"] = Api.ApiKeys.Hash(key) });
        using var client = keyed.CreateClient();

        // RFC 9110 §11.1: the scheme is case-insensitive; curl users and some libraries send "bearer".
        using var lower = new HttpRequestMessage(HttpMethod.Get, "/api/kpi/volume");
        lower.Headers.TryAddWithoutValidation("Authorization", "bearer " + key);
        var accepted = await client.SendAsync(lower);
        var refused = await client.GetAsync(new Uri("/api/kpi/volume", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("/api/export/audit.csv?from=2026-02-01&to=2026-03-01", "audit_20260201-20260301.csv")]
    [InlineData("/api/kpi/export/tickets?team=IT&from=2026-02-01&to=2026-03-01", "tickets_it_20260201-20260301.csv")]
    [InlineData("/api/kpi/export/tickets?from=2026-02-01&to=2026-03-01", "tickets_20260201-20260301.csv")]
    [InlineData("/api/kpi/export/series/volume?team=IT&from=2026-02-01&to=2026-03-01", "volume-by-week_it_20260201-20260301.csv")]
    [InlineData("/api/kpi/export/series/mttr?from=2026-02-01&to=2026-03-01&interval=month", "mttr-by-month_20260201-20260301.csv")]
    public async Task Every_api_export_downloads_as_a_named_csv_file(string path, string fileName)
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("text/csv", "utf-8"), (response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.CharSet));
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard.html")]
    [InlineData("/chat/people")]
    [InlineData("/api/kpi/volume")]
    [InlineData("/no-such-page")]
    public async Task Pages_and_answers_carry_the_security_headers_of_an_admin_page(string path)
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task With_a_public_base_url_the_pages_may_show_pictures_from_it()
    {
        using var app = new ItChatBotApp(new Dictionary<string, string?> { ["Host:PublicBaseUrl"] = "https://desk.example.com/" });
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("img-src 'self' data: blob: https://desk.example.com;", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/export/audit.csv?to=0001-01-01")]
    [InlineData("/api/export/access.csv?from=0001-01-01&to=2026-01-01")]
    [InlineData("/api/export/audit.csv?from=2026-01-01&to=9999-12-31")]
    public async Task An_export_period_outside_the_years_kpis_accept_gets_400_with_the_reason(string path)
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Periods must lie between 2000-01-01 and 3000-01-01", (await response.Content.ReadFromJsonAsync<Problem>())!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/no-such-page", 404, "Nothing is served at GET /no-such-page.")]
    [InlineData("GET", "/api/kpi", 404, "Nothing is served at GET /api/kpi.")]
    [InlineData("DELETE", "/healthz", 405, "/healthz does not take DELETE; it takes GET")]
    [InlineData("GET", "/chat/send", 405, "/chat/send does not take GET; it takes POST")]
    public async Task A_path_or_method_nothing_answers_gets_a_problem_body_naming_the_request(string method, string path, int status, string detail)
    {
        using var client = _app.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(detail, (await response.Content.ReadFromJsonAsync<Problem>())!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/kpi/tech/nobody", 404, "There is nobody called 'nobody' in the directory or the ticket history.")]
    [InlineData("/api/kpi/tech?tech=@nobody", 404, "There is nobody called 'nobody'")]
    [InlineData("/api/kpi/tech/%20", 400, "The technician view needs a person.")]
    [InlineData("/api/kpi/tech?tech=%40", 400, "The technician view needs a person.")]
    [InlineData("/api/kpi/tech/alice", 200, "\"name\":\"Alice Agent\"")]
    public async Task The_technician_view_of_someone_nobody_knows_says_so_rather_than_showing_zeros(string path, int status, string answer)
    {
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(answer, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_optional_fields_count_as_not_given_so_no_message_is_lost_or_sent_nowhere()
    {
        using var client = _app.CreateClient();

        // A client that sends "" for what it does not have: an id that would make every later message a duplicate,
        // a conversation nobody can see, a thread that is no thread.
        var first = await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it help", clientMessageId = "", conversation = "", thread = " " });
        var second = await client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "/it status IT-1", clientMessageId = "" });
        var pressed = await client.PostAsJsonAsync("/chat/actions", new { person = "erin", actionId = "ticket.status", value = "IT-1", clientMessageId = "", conversation = "" });

        var help = (await first.Content.ReadFromJsonAsync<ChatResponse>())!;
        var status = (await second.Content.ReadFromJsonAsync<ChatResponse>())!;
        var action = (await pressed.Content.ReadFromJsonAsync<ChatResponse>())!;
        Assert.False(status.Duplicate);
        Assert.False(action.Duplicate);
        var reply = Assert.Single(help.Messages);
        Assert.Equal("dm-erin", reply.Conversation);
        Assert.StartsWith("web:", reply.Thread, StringComparison.Ordinal);
        Assert.Contains("/it status [KEY]", reply.Text, StringComparison.Ordinal);
        Assert.Equal("dm-erin", Assert.Single(action.Messages).Conversation);
    }

    [Theory]
    [InlineData("/api/kpi/volume")]
    [InlineData("/api/kpi/mttr?period=7d")]
    [InlineData("/api/kpi/summary?from=2026-02-01")]
    public async Task A_kpi_period_ending_now_meets_its_previous_period_exactly_in_the_json(string path)
    {
        // Now is rarely a whole second; the previous period's bounds came back to the millisecond, the period's own to the tick.
        _app.Clock.Advance(TimeSpan.FromTicks(1_234_567));
        using var client = _app.CreateClient();

        var json = await client.GetFromJsonAsync<System.Text.Json.JsonElement>(path);

        Assert.Equal(json.GetProperty("from").GetString(), json.GetProperty("previous").GetProperty("to").GetString());
        Assert.Equal("2026-03-02T09:00:01+00:00", json.GetProperty("to").GetString());
    }

    [Fact]
    public async Task A_ticket_opened_earlier_in_the_current_second_counts_in_a_period_that_ends_now()
    {
        _app.Clock.Advance(TimeSpan.FromMilliseconds(400));
        using var client = _app.CreateClient();
        var card = await WebChatDriver.OpenTicketAsync(client, "erin", "My laptop screen is flickering");

        var json = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/kpi/volume?team=IT");

        Assert.Equal("IT-1", card.Ticket);
        Assert.Equal(1, json.GetProperty("count").GetInt32());
    }

    /// <summary>A request as if from <paramref name="address"/>; the test server itself has no network to come from.</summary>
    private async Task<(int Status, string Body)> FromAsync(string address, string method, string path, string? json = null, Dictionary<string, string>? headers = null)
    {
        var context = await _app.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            c.Request.Method = method;
            c.Request.Path = path;
            foreach (var (name, value) in headers ?? [])
            {
                if (name == "Host")
                {
                    c.Request.Host = new Microsoft.AspNetCore.Http.HostString(value);
                }
                else
                {
                    c.Request.Headers[name] = value;
                }
            }

            if (json is not null)
            {
                c.Request.ContentType = "application/json";
                c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
            }
        });
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    private async Task<(long Events, int Outbox, int Inbox)> Stored()
    {
        var store = _app.Get<Storage.LiteDb.LiteDbStore>();
        return (await store.CountAsync(), store.Database.GetCollection("outbox").Count(), store.Database.GetCollection("inbox").Count());
    }

    private static async Task<ChatMessage> Send(HttpClient client, string person, string text)
    {
        var response = await client.PostAsJsonAsync("/chat/send", new { person, text });
        response.EnsureSuccessStatusCode();
        return Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);
    }

    private sealed record Health(string Status, long Events);

    private sealed record Problem(string? Title, string? Detail, int Status);
}
