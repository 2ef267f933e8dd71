using ItChatBot.Core.Approvals;

namespace ItChatBot.Core.Tests;

public sealed class ApprovalsQuestionTests
{
    [Theory]
    [InlineData("what do I need to approve?")]
    [InlineData("What should I approve")]
    [InlineData("is there anything I need to approve")]
    [InlineData("anything for me to approve?")]
    [InlineData("do I have anything to approve")]
    [InlineData("any approvals for me")]
    [InlineData("approvals waiting for me?")]
    [InlineData("is anything waiting for my approval")]
    [InlineData("what needs my sign-off")]
    [InlineData("do I have any pending approvals")]
    [InlineData("my approvals")]
    [InlineData("pending approvals")]
    [InlineData("show me my pending approvals please")]
    [InlineData("approvals?")]
    public void Questions_about_what_waits_for_ones_approval_are_asked(string text) =>
        Assert.True(ApprovalsQuestion.IsAsked(text));

    [Theory]
    [InlineData("I need approval for Figma")]
    [InlineData("who needs to approve my request?")]
    [InlineData("can my manager approve my request")]
    [InlineData("my approval request is stuck")]
    [InlineData("my request is waiting for approval")]
    [InlineData("approve IT-42")]
    [InlineData("what do I need to approve IT-42")]
    [InlineData("I approved the request but the access never came through and now my whole team cannot work on the release")]
    [InlineData("")]
    public void Anything_else_is_not(string text) =>
        Assert.False(ApprovalsQuestion.IsAsked(text));
}
