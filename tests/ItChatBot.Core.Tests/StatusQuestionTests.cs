using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Tests;

public sealed class StatusQuestionTests
{
    [Theory]
    [InlineData("any update on my ticket?")]
    [InlineData("Any updates about my request")]
    [InlineData("where is my request")]
    [InlineData("where's my ticket?")]
    [InlineData("what's happening with my request?")]
    [InlineData("can I check the status of my ticket")]
    [InlineData("status of my requests please")]
    [InlineData("how is my request going?")]
    [InlineData("any updates?")]
    [InlineData("what are my open tickets?")] // was asked "which application?", as an access request
    [InlineData("show me my requests")]
    [InlineData("list my open tickets please")]
    [InlineData("my tickets?")]
    [InlineData("do I have any open tickets")]
    [InlineData("which requests do I have open?")]
    public void A_question_about_my_requests_asks_for_them(string text) =>
        Assert.Equal(new StatusQuestion.Asked(null), StatusQuestion.Find(text));

    [Theory]
    [InlineData("what is happening with IT-1082?", "IT-1082")]
    [InlineData("is it-7 fixed yet", "IT-7")]
    [InlineData("IT-1082?", "IT-1082")]
    [InlineData("any news on HR-12", "HR-12")]
    [InlineData("status of SEC-3", "SEC-3")]
    [InlineData("any update on IT-1082, it's been 3 days", "IT-1082")]
    [InlineData("hi, quick question: what's the status of IT-1082?", "IT-1082")]
    public void A_question_about_one_ticket_names_it(string text, string key) =>
        Assert.Equal(new StatusQuestion.Asked(key), StatusQuestion.Find(text));

    [Theory]
    [InlineData("where do I submit my request for a new laptop")]
    [InlineData("IT-1082 is still not fixed")]
    [InlineData("my request for Figma access isn't working, any update?")]
    [InlineData("I need access to the AB-12 project")]
    [InlineData("is IT-7 or IT-8 done")]
    [InlineData("I updated my request in the portal yesterday and the printer on floor two still jams every morning when we start")]
    [InlineData("my laptop will not start")]
    [InlineData("update IT-1082 the battery now smells of smoke")] // was answered with the card, and the smell was never passed on
    [InlineData("IT-1082 update: the battery is swelling more and the case cracked")]
    [InlineData("I can't see my tickets in the portal")]
    [InlineData("show me my requests from last year in the portal export")] // a list is not all it asks; more than "show me my requests"
    public void A_request_that_mentions_a_ticket_or_my_request_for_another_reason_is_no_status_question(string text) =>
        Assert.Null(StatusQuestion.Find(text));
}
