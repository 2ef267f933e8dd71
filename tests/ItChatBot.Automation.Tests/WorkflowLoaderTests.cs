using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Workflows;
using ItChatBot.Testing;

namespace ItChatBot.Automation.Tests;

public sealed class WorkflowLoaderTests
{
    private readonly WorkflowLoader _loader = new(new SupportTeams([]));

    [Fact]
    public void Every_shipped_workflow_loads_without_errors()
    {
        var result = _loader.LoadFolder(RepoPaths.Workflows);

        Assert.Empty(result.Errors);
        Assert.Equal(
            ["app-access", "device-enrollment", "new-hire-onboarding", "password-reset", "software-install", "temporary-access", "temporary-admin"],
            result.Definitions.Select(d => d.Id).Order(StringComparer.Ordinal));
        var kinds = result.Definitions.SelectMany(d => d.Steps).Select(s => s.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<StepKind>().ToHashSet(), kinds);
    }

    [Fact]
    public void An_unknown_step_kind_is_reported_with_file_and_line()
    {
        var (_, errors) = _loader.Parse(
            """
            id: broken
            team: IT
            category: access
            examples: [give me access]
            steps:
              - kind: message
                text: hello
              - kind: teleport
                to: mars
            """, "broken.yaml");

        var error = Assert.Single(errors);
        Assert.Equal("broken.yaml", error.File);
        Assert.Equal(8, error.Line);
        Assert.Contains("kind 'teleport' is unknown", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nsteps:\n  - kind: directory\n    action: add_group\n", 6, "needs 'group'")]
    [InlineData("id: x\nteam: Moon\ncategory: access\nexamples: [a]\nsteps:\n  - kind: resolve\n", 2, "team 'Moon' is not a support team")]
    [InlineData("id: x\nteam: IT\ncategory: payroll\nexamples: [a]\nsteps:\n  - kind: resolve\n", 3, "category 'payroll' is not one of IT's")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nsteps:\n  - kind: message\n    text: \"hi {{slots.application}}\"\n", 7, "names a slot this workflow does not declare")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nsteps:\n  - kind: approval\n    approvers: boss\n", 7, "'boss' is not an approver")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nsteps:\n  - kind: grant_access\n    resource: r\n    role: admin\n    group: g\n    max_duration: forever\n", 10, "max_duration 'forever' is not a duration")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nsteps:\n  - kind: http\n    endpoint: e\n    path: http://evil/x\n", 8, "must start with /")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nsteps: [\n", 6, "Not valid YAML")]
    [InlineData("id: x\nteam: IT\ncategory: access\nsteps:\n  - kind: resolve\n", 1, "examples needs at least one phrase")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\ncolour: blue\nsteps:\n  - kind: resolve\n", 5, "Unknown field 'colour'")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nkeywords: [b]\nkeywords_required: yes\nsteps:\n  - kind: resolve\n", 6, "keywords_required must be true or false, not 'yes'")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\nkeywords_required: true\nsteps:\n  - kind: resolve\n", 5, "there are no keywords")]
    [InlineData("id: x\nteam: IT\ncategory: access\nexamples: [a]\ndevice_application: local-admin\nsteps:\n  - kind: resolve\n", 5, "the workflow has no application slot")]
    public void Problems_name_the_line_and_what_is_wrong(string yaml, int line, string message)
    {
        var (_, errors) = _loader.Parse(yaml, "x.yaml");

        Assert.Contains(errors, e => e.Line == line && e.Message.Contains(message, StringComparison.Ordinal) && e.File == "x.yaml");
    }

    [Fact]
    public void An_invalid_file_is_skipped_and_the_others_load()
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Workflows, "password-reset.yaml"), folder.File("password-reset.yaml"));
        File.WriteAllText(folder.File("bad.yaml"), "id: bad\nteam: IT\ncategory: access\nexamples: [x]\nsteps:\n  - kind: directory\n    action: explode\n");

        var result = _loader.LoadFolder(folder.Path);

        Assert.Equal("password-reset", Assert.Single(result.Definitions).Id);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("bad.yaml", 7), (error.File, error.Line));
        Assert.Contains("action 'explode' is unknown", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_id_is_reported_and_the_second_file_skipped()
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Workflows, "password-reset.yaml"), folder.File("a.yaml"));
        File.Copy(Path.Combine(RepoPaths.Workflows, "password-reset.yaml"), folder.File("b.yaml"));

        var result = _loader.LoadFolder(folder.Path);

        Assert.Single(result.Definitions);
        Assert.Contains(result.Errors, e => e.File == "b.yaml" && e.Message.Contains("already used by a.yaml", StringComparison.Ordinal));
    }
}
