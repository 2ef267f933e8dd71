using System.Text.Json;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ItChatBot.Slack.Tests;

/// <summary>
/// Slack's Web API on 127.0.0.1 (WireMock): answers every method the bot uses like Slack does, records each call,
/// and answers anything else with <c>ok:false, unknown_method</c> so an unexpected call shows up in a test.
/// </summary>
public sealed class FakeSlack : IDisposable
{
    public const string BotToken = "xoxb-test-bot-token";
    public const string AppToken = "xapp-test-app-token";
    public const string DmChannel = "D0DMCHANNEL";
    public const string PostedTs = "1772442000.000100";

    public FakeSlack()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().UsingPost().WithPath("/api/*")).AtPriority(100)
            .RespondWith(Ok(new { ok = false, error = "unknown_method" }));
        Answer("auth.test", new { ok = true, user_id = "UBOT", bot_id = "BBOT", team_id = "T1" });
        Answer("users.info", new { ok = true, user = new { id = "U1", name = "ana", real_name = "Ana Lopez", is_bot = false, deleted = false, profile = new { email = "ana@example.com", display_name = "ana" } } });
        Answer("users.lookupByEmail", new { ok = true, user = new { id = "U1", name = "ana", profile = new { email = "ana@example.com" } } });
        Answer("conversations.open", new { ok = true, channel = new { id = DmChannel } });
        Answer("chat.postMessage", new { ok = true, channel = DmChannel, ts = PostedTs, message = new { text = "…" } });
        Answer("chat.update", new { ok = true, channel = DmChannel, ts = PostedTs, text = "…" });
        Answer("chat.postEphemeral", new { ok = true, message_ts = "1772442000.000200" });
        Answer("views.open", new { ok = true, view = new { id = "V123" } });
        Answer("files.getUploadURLExternal", new { ok = true, upload_url = $"{Server.Url}/upload/F123", file_id = "F123" });
        Answer("files.completeUploadExternal", new { ok = true, files = new[] { new { id = "F123", title = "export.csv" } } });
        Server.Given(Request.Create().UsingPost().WithPath("/upload/F123")).RespondWith(Response.Create().WithStatusCode(200).WithBody("OK - 42"));
    }

    public WireMockServer Server { get; }

    public string ApiBaseUrl => Server.Url + "/api/";

    /// <summary>Makes <paramref name="method"/> answer with this JSON from now on.</summary>
    public void Answer(string method, object json, int priority = 10) =>
        Server.Given(Request.Create().UsingPost().WithPath($"/api/{method}")).AtPriority(priority).RespondWith(Ok(json));

    /// <summary>Makes <paramref name="method"/> answer with this JSON when its body contains <paramref name="bodyContains"/> (e.g. one user's DM, one channel's post).</summary>
    public void AnswerWhen(string method, string bodyContains, object json) =>
        Server.Given(Request.Create().UsingPost().WithPath($"/api/{method}").WithBody(new WildcardMatcher($"*{bodyContains}*")))
            .AtPriority(5).RespondWith(Ok(json));

    public IReadOnlyList<ILogEntry> Calls(string method) =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Path == $"/api/{method}")];

    /// <summary>The JSON body of a call (write methods send JSON).</summary>
    public static JsonElement Json(ILogEntry call) => JsonDocument.Parse(call.RequestMessage.Body!).RootElement;

    /// <summary>The form fields of a call (read methods send forms).</summary>
    public static Dictionary<string, string> Form(ILogEntry call) => Inbound.SlackForms.ParseForm(call.RequestMessage.Body ?? "");

    public async Task<ILogEntry> WaitForCallAsync(string method, Func<ILogEntry, bool>? match = null, int count = 1)
    {
        ILogEntry? found = null;
        await Eventually.TrueAsync(() =>
        {
            var calls = Calls(method).Where(c => match?.Invoke(c) ?? true).ToList();
            found = calls.Count >= count ? calls[count - 1] : null;
            return found is not null;
        }, $"a call to {method}");
        return found!;
    }

    public void Dispose() => Server.Stop();

    private static IResponseBuilder Ok(object json) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(JsonSerializer.Serialize(json));
}
