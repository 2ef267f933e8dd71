using ItChatBot.Core.Approvals;
using ItChatBot.Core.Directory;

namespace ItChatBot.Approvals.Tests;

/// <summary>How an approval card names the requester and the approvers (every copy uses these).</summary>
public sealed class ApprovalCardNamesTests
{
    [Fact]
    public void Approvers_are_named_by_display_name_groups_by_their_members_and_an_unknown_id_as_it_is()
    {
        var dave = new Person { Id = "dave", DisplayName = "Dave Manager" };
        var carol = new Person { Id = "Carol", DisplayName = "Carol Lead" };

        var named = ApprovalMessages.WhoCanApprove(["dave", "carol", "group:Security", "ghost"], [dave, carol, dave]);

        // Ids match whatever their case, as the directory's do; a person listed twice is named once per approver entry.
        Assert.Equal("Dave Manager, Carol Lead, members of Security, ghost", named);
    }

    [Fact]
    public void The_requester_is_named_by_display_name_or_by_id_when_the_directory_has_no_one()
    {
        Assert.Equal("Erin Employee", DirectoryNames.NameOf(new Person { Id = "erin", DisplayName = "Erin Employee" }, "erin"));
        Assert.Equal("U0LEFT", DirectoryNames.NameOf(null, "U0LEFT"));
        Assert.Equal("U0NONAME", DirectoryNames.NameOf(new Person { Id = "U0NONAME", DisplayName = "" }, "U0NONAME"));
    }
}
