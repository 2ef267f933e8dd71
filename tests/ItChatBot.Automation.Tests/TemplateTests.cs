using ItChatBot.Automation.Workflows;

namespace ItChatBot.Automation.Tests;

public sealed class TemplateTests
{
    private static readonly Dictionary<string, string> Values = new() { ["requester.name"] = "Erin Employee", ["slots.duration"] = "3d" };

    [Fact]
    public void A_placeholder_with_a_fallback_reads_its_value_when_the_run_has_one_and_the_fallback_when_not()
    {
        Assert.Equal("Erin Employee for 3d", Template.Expand("{{requester.name}} for {{slots.duration|1d}}", Values));
        Assert.Equal("Erin Employee for 1d", Template.Expand("{{requester.name}} for {{ slots.duration | 1d }}", new Dictionary<string, string> { ["requester.name"] = "Erin Employee" }));
    }

    [Fact]
    public void A_placeholder_without_a_fallback_and_without_a_value_fails_naming_it()
    {
        var error = Assert.Throws<TemplateException>(() => Template.Expand("for {{slots.duration}}", new Dictionary<string, string>()));

        Assert.Equal("{{slots.duration}} has no value in this run.", error.Message);
    }
}
