using System.Text.Json;
using ItChatBot.Automation.Understanding;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ItChatBot.Automation.Tests;

public sealed class LlmClassifierTests : IAsyncLifetime
{
    private readonly WireMockServer _llm = WireMockServer.Start();
    private AutomationHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await AutomationHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Automation:Llm:Enabled"] = "true",
        ["Automation:Llm:Endpoint"] = _llm.Url + "/v1",
        ["Automation:Llm:Model"] = "local-model",
        ["Automation:Llm:ApiKey"] = "sk-test",
        ["Automation:Llm:Timeout"] = "00:00:03", // long enough for a cold first call, short against the slow answer below
    });

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        _llm.Stop();
    }

    private RequestUnderstanding Understanding => _harness.Get<RequestUnderstanding>();

    private void Answer(string content) =>
        _llm.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost().WithHeader("Authorization", "Bearer sk-test"))
            .RespondWith(Response.Create().WithBodyAsJson(new { choices = new[] { new { message = new { role = "assistant", content } } } }));

    [Fact]
    public async Task The_model_s_intent_and_slots_are_used_when_it_answers_well()
    {
        Answer("""{"intent": "temporary-admin", "confidence": 0.93, "slots": {"application": "Azure Portal", "duration": "3 hours"}}""");

        var understood = await Understanding.UnderstandAsync("could you sort me out with the keys to the cloud kingdom this afternoon");

        Assert.Equal(("llm", "temporary-admin", 0.93), (understood.Source, understood.Top!.Intent.Name, understood.Confidence));
        Assert.Equal("azure", understood.Slots["application"]);
        Assert.Equal("3h", understood.Slots["duration"]);
        var body = JsonDocument.Parse(Assert.Single(_llm.LogEntries).RequestMessage.Body!).RootElement;
        Assert.Equal("local-model", body.GetProperty("model").GetString());
        Assert.Equal("user", body.GetProperty("messages")[1].GetProperty("role").GetString());
        Assert.Contains("temporary-admin", body.GetProperty("messages")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lasting_access_the_model_picks_for_a_request_with_a_duration_becomes_the_time_bound_workflow()
    {
        Answer("""{"intent": "app-access", "confidence": 0.9, "slots": {"application": "Jira", "duration": "3 days"}}""");

        var understood = await Understanding.UnderstandAsync("could you sort me out with Jira while I cover the release");

        Assert.Equal(("llm", "temporary-access", 0.9), (understood.Source, understood.Top!.Intent.Name, understood.Confidence));
        Assert.Equal("3d", understood.Slots["duration"]);
        Assert.True(Understanding.IsConfident(understood));
    }

    [Theory]
    [InlineData("could you sort me out with Jira until Friday", "until", "friday")]
    [InlineData("could you sort me out with Jira till the end of the week", "until", "end-of-week")]
    [InlineData("could you temporarily sort me out with Jira", null, null)]
    public async Task Lasting_access_the_model_picks_for_a_request_with_an_end_or_temporary_becomes_the_time_bound_workflow(
        string text, string? slot, string? value)
    {
        // The model names no duration: the end ("until Friday") or the word "temporarily" is what says it is time-bound.
        Answer("""{"intent": "app-access", "confidence": 0.9, "slots": {"application": "Jira"}}""");

        var understood = await Understanding.UnderstandAsync(text);

        Assert.Equal(("llm", "temporary-access"), (understood.Source, understood.Top!.Intent.Name));
        Assert.False(understood.Slots.ContainsKey("duration"));
        if (slot is not null)
        {
            Assert.Equal(value, understood.Slots[slot]);
        }
    }

    [Fact]
    public async Task A_workflow_the_request_excludes_is_not_chosen_even_when_the_model_picks_it()
    {
        Answer("""{"intent": "password-reset", "confidence": 0.95, "slots": {}}""");

        var understood = await Understanding.UnderstandAsync("can you reset my MFA?");

        Assert.Equal("classifier", understood.Source);
        Assert.DoesNotContain(understood.Ranked, s => s.Intent.Name == "password-reset");
    }

    [Fact]
    public async Task Lasting_access_the_model_picks_for_a_request_without_a_duration_stays_lasting()
    {
        Answer("""{"intent": "app-access", "confidence": 0.9, "slots": {"application": "Jira"}}""");

        var understood = await Understanding.UnderstandAsync("could you sort me out with Jira");

        Assert.Equal(("llm", "app-access"), (understood.Source, understood.Top!.Intent.Name));
        Assert.False(understood.Slots.ContainsKey("duration"));
    }

    [Theory]
    [InlineData("""{"intent": "launch-rocket", "confidence": 0.99}""")]
    [InlineData("I think it's a password reset")]
    [InlineData("""{"category": "password-reset", "confidence": 0.9}""")]
    [InlineData("""{"intent": null}""")]
    [InlineData("""["password-reset"]""")]
    public async Task An_unknown_intent_or_malformed_answer_falls_back_to_the_classifier(string content)
    {
        Answer(content);

        var understood = await Understanding.UnderstandAsync("I forgot my password again");

        Assert.Equal(("classifier", "password-reset"), (understood.Source, understood.Top!.Intent.Name));
    }

    [Fact]
    public async Task An_answer_without_choices_falls_back_to_the_classifier()
    {
        _llm.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { choices = Array.Empty<object>() }));

        var understood = await Understanding.UnderstandAsync("I forgot my password again");

        Assert.Equal(("classifier", "password-reset"), (understood.Source, understood.Top!.Intent.Name));
    }

    [Fact]
    public async Task A_server_error_falls_back_to_the_classifier()
    {
        _llm.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));

        var understood = await Understanding.UnderstandAsync("I forgot my password again");

        Assert.Equal(("classifier", "password-reset"), (understood.Source, understood.Top!.Intent.Name));
    }

    [Fact]
    public async Task A_timeout_falls_back_to_the_classifier()
    {
        _llm.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(10)).WithBodyAsJson(new { choices = Array.Empty<object>() }));

        var understood = await Understanding.UnderstandAsync("please install Zoom on my laptop");

        Assert.Equal(("classifier", "software-install"), (understood.Source, understood.Top!.Intent.Name));
    }
}
