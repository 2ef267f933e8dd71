using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using ItChatBot.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ItChatBot.Automation.Tests;

public class DurableRunTests : IDisposable
{
    private const string Workflow = """
        id: two-groups
        name: Two groups
        team: IT
        category: access
        examples: [add me to both groups]
        steps:
          - id: first
            kind: directory
            action: add_group
            group: first-group
          - id: order
            kind: http
            endpoint: orders
            path: /orders
            body: '{"ticket": "{{ticket}}", "who": "{{requester.email}}"}'
          - id: second
            kind: directory
            action: add_group
            group: second-group
          - kind: message
            text: "Added to both groups; order {{steps.order.id}}."
          - kind: resolve
        """;

    private readonly TempFolder _workflows = new();
    private readonly FakeGraph _graph = new();
    private readonly WireMockServer _orders = WireMockServer.Start();

    public DurableRunTests()
    {
        File.WriteAllText(_workflows.File("two-groups.yaml"), Workflow);
        _graph.Group("first-group", "g-first");
        _graph.Group("second-group", "g-second");
    }

    /// <summary>The harness each test runs on: the LiteDB file here, PostgreSQL in the subclass.</summary>
    protected virtual Task<AutomationHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?> settings, string workflowsFolder) =>
        AutomationHarness.StartAsync(settings, workflowsFolder);

    private Dictionary<string, string?> Settings() => new(_graph.Settings) { ["Automation:Endpoints:orders:BaseUrl"] = _orders.Url };

    [Fact]
    public async Task A_run_resumed_after_a_crash_repeats_no_completed_side_effect()
    {
        // The order service is down at first, so the run stops after its first step and waits to retry.
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).InScenario("outage").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).InScenario("outage").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "ord-7" }));
        await using var harness = await StartHarnessAsync(Settings(), _workflows.Path);
        var run = await harness.StartAsync("two-groups");
        Assert.Equal((WorkflowRunStatus.Running, 1, 1), (run.Status, run.NextStep, run.Attempt));
        Assert.Equal(1, _graph.Count("POST", "/v1.0/groups/g-first/members/$ref"));

        // Crash: the process dies after step 0's completion was written but before its cursor moved on.
        await harness.RestartAsync();
        await harness.Get<IWorkflowRunStore>().SaveAsync(run with { NextStep = 0, Attempt = 0 });
        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        await harness.Engine.ResumeDueAsync();

        var finished = await harness.RunAsync(run.Id);
        Assert.True(finished.Status == WorkflowRunStatus.Completed, finished.Error);
        Assert.Equal(1, _graph.Count("POST", "/v1.0/groups/g-first/members/$ref"));
        Assert.Equal(1, _graph.Count("POST", "/v1.0/groups/g-second/members/$ref"));
        Assert.Equal(2, _orders.LogEntries.Count());
        var events = await harness.EventsAsync(run.Ticket);
        Assert.Equal([0, 1, 2, 3, 4], events.Where(e => e.Type == EventType.WorkflowStepCompleted).Select(e => e.GetInt(EventData.Step)!.Value));
        Assert.Single(events, e => e.Type == EventType.Resolved);
        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(events));
        var failed = Assert.Single(events, e => e.Type == EventType.WorkflowStepFailed);
        Assert.Contains("503", failed.Get(EventData.Error), StringComparison.Ordinal);
        var told = Assert.Single(await harness.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0));
        Assert.Equal("Added to both groups; order ord-7.", told.Message.Card.Text);

        // Both calls of each step carry the same idempotency key, run id + step index.
        Assert.All(_orders.LogEntries, e => Assert.Equal(WorkflowKeys.Step(run.Id, 1), e.RequestMessage.Headers!["Idempotency-Key"].Single()));
        var member = _graph.Server.LogEntries.Single(e => e.RequestMessage.Path == "/v1.0/groups/g-second/members/$ref");
        Assert.Equal(WorkflowKeys.Step(run.Id, 2), member.RequestMessage.Headers!["Idempotency-Key"].Single());
        Assert.Equal($"{_graph.Url}v1.0/directoryObjects/u-erin", System.Text.Json.JsonDocument.Parse(member.RequestMessage.Body!).RootElement.GetProperty("@odata.id").GetString());
    }

    [Fact]
    public async Task An_http_step_sends_its_templated_body_and_backs_off_between_attempts()
    {
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(500).WithBody("boom"));
        await using var harness = await StartHarnessAsync(Settings(), _workflows.Path);
        var run = await harness.StartAsync("two-groups");

        await harness.Engine.ResumeDueAsync();
        Assert.Single(_orders.LogEntries);
        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        await harness.Engine.ResumeDueAsync();
        Assert.Equal(2, _orders.LogEntries.Count());
        harness.Clock.Advance(TimeSpan.FromSeconds(9));
        await harness.Engine.ResumeDueAsync();
        Assert.Equal(2, _orders.LogEntries.Count());
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await harness.Engine.ResumeDueAsync();

        Assert.Equal(3, _orders.LogEntries.Count());
        var body = System.Text.Json.JsonDocument.Parse(_orders.LogEntries.First().RequestMessage.Body!).RootElement;
        Assert.Equal((run.Ticket, "erin@example.com"), (body.GetProperty("ticket").GetString(), body.GetProperty("who").GetString()));
        var failedRun = await harness.RunAsync(run.Id);
        Assert.Equal(WorkflowRunStatus.Failed, failedRun.Status);
        var events = await harness.EventsAsync(run.Ticket);
        Assert.Equal(3, events.Count(e => e.Type == EventType.WorkflowStepFailed));
        Assert.Contains("answered 500: boom", Assert.Single(events, e => e.Type == EventType.WorkflowFailed).Get(EventData.Error), StringComparison.Ordinal);
        Assert.Single(events, e => e.Type == EventType.Escalated && e.IsAutomation);
        Assert.Equal(0, _graph.Count("POST", "/v1.0/groups/g-second/members/$ref"));
    }

    [Fact]
    public async Task A_throttled_http_step_waits_as_long_as_Retry_After_asks_before_it_tries_again()
    {
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "60"));
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).InScenario("throttle").WhenStateIs("open")
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "ord-9" }));
        await using var harness = await StartHarnessAsync(Settings(), _workflows.Path);
        var run = await harness.StartAsync("two-groups");
        Assert.Single(_orders.LogEntries);

        // The engine's own back-off (5 s, then 10 s) would come back sooner than the service allowed.
        harness.Clock.Advance(TimeSpan.FromSeconds(59));
        await harness.Engine.ResumeDueAsync();
        Assert.Single(_orders.LogEntries);

        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await harness.Engine.ResumeDueAsync();

        Assert.Equal(2, _orders.LogEntries.Count());
        Assert.Equal(WorkflowRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
        var failed = Assert.Single(await harness.EventsAsync(run.Ticket), e => e.Type == EventType.WorkflowStepFailed);
        Assert.Contains("429", failed.Get(EventData.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_endpoints_key_echoed_back_by_the_service_reaches_no_event_card_or_output()
    {
        const string key = "sk-live-5f2c9a";
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).InScenario("echo").WillSetStateTo("fixed")
            .RespondWith(Response.Create().WithStatusCode(401).WithBody($"Invalid API key '{key}'"));
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).InScenario("echo").WhenStateIs("fixed")
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { id = "ord-3", auth = $"Bearer {key}" }));
        await using var harness = await StartHarnessAsync(
            new Dictionary<string, string?>(Settings()) { ["Automation:Endpoints:orders:ApiKey"] = key }, _workflows.Path);

        var run = await harness.StartAsync("two-groups");
        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        await harness.Engine.ResumeDueAsync();

        Assert.Equal(WorkflowRunStatus.Completed, (await harness.RunAsync(run.Id)).Status);
        Assert.All(_orders.LogEntries, e => Assert.Equal($"Bearer {key}", e.RequestMessage.Headers!["Authorization"].Single()));
        var events = await harness.EventsAsync(run.Ticket);
        Assert.Contains("Invalid API key '[redacted]'", Assert.Single(events, e => e.Type == EventType.WorkflowStepFailed).Get(EventData.Error), StringComparison.Ordinal);
        Assert.Equal("Bearer [redacted]", events.Single(e => e.Type == EventType.WorkflowStepCompleted && e.Get("stepId") == "order").Get("out.auth"));
        Assert.DoesNotContain(events, e => e.Data.Values.Any(v => v.Contains(key, StringComparison.Ordinal)));
        var messages = await harness.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0);
        Assert.DoesNotContain(messages, m => (m.Message.Card.Text ?? "").Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_in_an_http_steps_path_is_escaped_so_it_cannot_point_the_call_at_another_resource()
    {
        File.WriteAllText(_workflows.File("lookup.yaml"), """
            id: lookup
            team: IT
            category: access
            examples: [look up my order]
            steps:
              - id: find
                kind: http
                endpoint: orders
                path: /orders
              - id: cancel
                kind: http
                endpoint: orders
                method: DELETE
                path: /orders/{{steps.find.id}}/items
              - kind: resolve
            """);
        // The first answer's id, taken as is into the second path, would make it /admin/users?all=1/items.
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "../admin/users?all=1" }));
        _orders.Given(Request.Create().UsingDelete()).RespondWith(Response.Create().WithStatusCode(204));
        await using var harness = await StartHarnessAsync(Settings(), _workflows.Path);

        var run = await harness.StartAsync("lookup");

        Assert.Equal(WorkflowRunStatus.Completed, run.Status);
        var delete = Assert.Single(_orders.LogEntries, e => e.RequestMessage.Method == "DELETE");
        var url = new Uri(delete.RequestMessage.AbsoluteUrl);
        Assert.StartsWith("/orders/..%2Fadmin%2Fusers%3Fall", url.AbsolutePath, StringComparison.Ordinal);
        Assert.EndsWith("/items", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Empty(url.Query);
    }

    [Fact]
    public async Task An_http_step_whose_endpoint_does_not_answer_fails_the_attempt_at_the_endpoints_time_limit()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        _orders.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            arrived.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(30));
            return new WireMock.ResponseMessage { StatusCode = 201 };
        }));
        await using var harness = await StartHarnessAsync(
            new Dictionary<string, string?>(Settings()) { ["Automation:Endpoints:orders:Timeout"] = "00:00:10" }, _workflows.Path);

        var running = harness.StartAsync("two-groups");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10));
        release.Set();

        Assert.Equal((WorkflowRunStatus.Running, 1, 1), (run.Status, run.NextStep, run.Attempt));
        var failed = Assert.Single(await harness.EventsAsync(run.Ticket), e => e.Type == EventType.WorkflowStepFailed);
        Assert.Equal("POST /orders did not answer within 10 s.", failed.Get(EventData.Error));
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _orders.Stop();
        _graph.Dispose();
        _workflows.Dispose();
    }
}
