using ItChatBot.Core.Audit;
using ItChatBot.Core.Directory;

namespace ItChatBot.Approvals.Tests;

/// <summary><c>/it role</c> through the real router, directory and audit log on a LiteDB file.</summary>
public sealed class RoleChangeTests
{
    [Fact]
    public async Task An_admin_adds_and_removes_a_role_and_each_change_is_audited_and_the_chain_verifies()
    {
        using var s = new ApprovalScenario();

        var added = await s.CommandAsync("admin", "it", "role @frank add agent");
        Assert.Contains("Frank Field: agent added", Assert.Single(added.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.True((await s.App.Get<IDirectory>().FindAsync("frank"))!.HasRole(Roles.Agent));

        await s.CommandAsync("admin", "it", "role @frank remove agent");
        Assert.False((await s.App.Get<IDirectory>().FindAsync("frank"))!.HasRole(Roles.Agent));

        var entries = await s.AuditAsync("person:frank");
        Assert.Collection(
            entries,
            e =>
            {
                Assert.Equal(AuditActions.RoleChanged, e.Action);
                Assert.Equal("admin", e.Actor);
                Assert.Equal("add", e.Data["change"]);
                Assert.Equal("employee", e.Data["before"]);
                Assert.Equal("employee,agent", e.Data["after"]);
            },
            e =>
            {
                Assert.Equal(AuditActions.RoleChanged, e.Action);
                Assert.Equal("remove", e.Data["change"]);
                Assert.Equal("employee", e.Data["after"]);
            });
        var verification = await s.App.Get<IAuditLog>().VerifyAsync();
        Assert.True(verification.IsIntact, verification.Problem);
    }

    [Theory]
    [InlineData("carol")] // a lead
    [InlineData("alice")] // an agent
    [InlineData("erin")] // an employee
    public async Task Anyone_but_an_admin_is_refused_privately_nothing_changes_and_the_attempt_is_audited(string person)
    {
        using var s = new ApprovalScenario();

        var turn = await s.CommandAsync(person, "it", "role @erin add admin");

        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Contains("Only admins can give or take away roles", reply.Card.ToPlainText(), StringComparison.Ordinal);
        Assert.False((await s.App.Get<IDirectory>().FindAsync("erin"))!.HasRole(Roles.Admin));
        var entry = Assert.Single(await s.AuditAsync("person:erin"));
        Assert.Equal(AuditActions.RoleChangeRefused, entry.Action);
        Assert.Equal(person, entry.Actor);
        Assert.Equal("admin", entry.Data["role"]);
    }

    [Theory]
    [InlineData("role", "Name the person, add or remove, and the role.")]
    [InlineData("role @frank add", "Expected three words, got 2.")]
    [InlineData("role @frank grant agent", "'grant' is not add or remove.")]
    [InlineData("role @frank add employee", "'employee' is not a role this verb manages")]
    [InlineData("role @frank add superuser", "'superuser' is not a role this verb manages")]
    [InlineData("role frank add agent", "'frank' is not a mention")]
    [InlineData("role @nobody add agent", "Nobody in the directory is @nobody.")]
    [InlineData("role @admin remove admin", "You cannot remove your own admin role")]
    public async Task A_malformed_role_change_names_the_problem_and_changes_nothing(string text, string problem)
    {
        using var s = new ApprovalScenario();
        var before = (await s.App.Get<IDirectory>().ListAsync()).Select(p => $"{p.Id}:{string.Join(",", p.Roles)}").ToList();

        var turn = await s.CommandAsync("admin", "it", text);

        var reply = Assert.Single(turn.Replies);
        Assert.NotNull(reply.EphemeralTo);
        Assert.Contains(problem, reply.Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(before, (await s.App.Get<IDirectory>().ListAsync()).Select(p => $"{p.Id}:{string.Join(",", p.Roles)}").ToList());
        Assert.DoesNotContain(await s.App.Get<IAuditLog>().ReadAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), e => e.Action is AuditActions.RoleChanged or AuditActions.RoleChangeRefused);
    }

    [Fact]
    public async Task Adding_a_role_someone_already_has_changes_nothing_and_audits_nothing()
    {
        using var s = new ApprovalScenario();

        var turn = await s.CommandAsync("admin", "it", "role @alice add agent");

        Assert.Contains("Alice Agent already has the agent role.", Assert.Single(turn.Replies).Card.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await s.AuditAsync("person:alice"));
    }

    [Fact]
    public async Task The_help_lists_the_role_verb_for_admins_and_describes_it_to_anyone_who_asks()
    {
        using var s = new ApprovalScenario();

        var admin = Assert.Single((await s.CommandAsync("admin", "it", "help")).Replies).Card.ToPlainText();
        var employee = Assert.Single((await s.CommandAsync("erin", "it", "help")).Replies).Card.ToPlainText();
        var asked = Assert.Single((await s.CommandAsync("erin", "it", "help role")).Replies).Card.ToPlainText();

        Assert.Contains("/it role @person add|remove lead|agent|admin|approver", admin, StringComparison.Ordinal);
        Assert.DoesNotContain("/it role", employee, StringComparison.Ordinal);
        Assert.Contains("/it role @person add|remove lead|agent|admin|approver", asked, StringComparison.Ordinal);
    }
}
