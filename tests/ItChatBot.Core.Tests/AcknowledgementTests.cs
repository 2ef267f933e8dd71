using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Tests;

public sealed class AcknowledgementTests
{
    [Theory]
    [InlineData("thanks!")]
    [InlineData("Thank you so much")]
    [InlineData("many thanks :)")]
    [InlineData("thx")]
    [InlineData("works now, thanks")]
    [InlineData("perfect, all sorted 👍")]
    [InlineData("that did the trick, thank you")]
    [InlineData("that did the trick")]
    [InlineData("ok")]
    [InlineData("Great job, thanks team!")]
    [InlineData("It’s working now")]
    [InlineData("👍")]
    [InlineData("🙏🙏")]
    public void Thanks_and_confirmations_are_acknowledgements(string text) =>
        Assert.True(Acknowledgement.IsThanksOrConfirmation(text));

    [Theory]
    [InlineData("thanks but it is still flickering")]
    [InlineData("not fixed")]
    [InlineData("not working")]
    [InlineData("it doesn't work")]
    [InlineData("it worked for an hour, now it flickers again")]
    [InlineData("thanks, can you also reset my VPN token?")]
    [InlineData("great, now the printer is broken")]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("thanks thanks thanks thanks thanks thanks thanks thanks thanks thanks thanks")]
    public void Anything_else_is_not(string text) =>
        Assert.False(Acknowledgement.IsThanksOrConfirmation(text));

    [Theory]
    [InlineData("thanks!", true)]
    [InlineData("thank you very much", true)]
    [InlineData("cheers", true)]
    [InlineData("works now, thanks", false)]
    [InlineData("ok", false)]
    [InlineData("thanks, my laptop is broken", false)]
    public void Only_thanks_are_thanks(string text, bool expected) =>
        Assert.Equal(expected, Acknowledgement.IsThanks(text));

    [Theory]
    [InlineData("that fixed it, thanks!", true)]
    [InlineData("works now", true)]
    [InlineData("It’s working now", true)]
    [InlineData("all good now, thank you", true)]
    [InlineData("that did the trick", true)]
    [InlineData("sorted, cheers", true)]
    [InlineData("thanks!", false)] // thanks for an answer, not yet for a fix
    [InlineData("perfect", false)]
    [InlineData("ok", false)]
    [InlineData("is it fixed?", false)]
    [InlineData("did that work", false)]
    [InlineData("not fixed", false)]
    [InlineData("it worked for an hour, now it flickers again", false)]
    [InlineData("I fixed it myself", false)] // a withdrawal: the team fixed nothing
    public void Only_a_confirmation_with_a_word_of_it_working_says_it_is_fixed(string text, bool expected) =>
        Assert.Equal(expected, Acknowledgement.SaysFixed(text));

    [Theory]
    [InlineData("is it fixed?", true)]
    [InlineData("did that work", true)]
    [InlineData("Has it been sorted", true)]
    [InlineData("works now", false)]
    [InlineData("it's fixed, thanks", false)]
    public void A_question_is_told_from_a_confirmation(string text, bool expected) =>
        Assert.Equal(expected, Acknowledgement.IsQuestion(text));
}
