using ItChatBot.Core.Directory;
using ItChatBot.Core.Intake;

namespace ItChatBot.Core.Tests;

public sealed class KeywordTriageTests
{
    private readonly KeywordTriage _triage = new(new SupportTeams([]));

    [Theory]
    [InlineData("I got a phishing email from our CEO", "Security", "phishing", "P3")]
    [InlineData("My payslip is wrong", "HR", "payroll", "P3")]
    [InlineData("I forgot my password and I'm locked out", "IT", "password", "P2")]
    [InlineData("Email outage: everyone is affected", "IT", "email", "P1")]
    [InlineData("New monitor please, no rush", "IT", "hardware", "P4")]
    [InlineData("Can you help me with something", "IT", "general", "P3")]
    public void Keywords_choose_team_category_and_priority(string text, string team, string category, string priority)
    {
        var triaged = _triage.Classify(text);

        Assert.Equal((team, category, priority), (triaged.Team, triaged.Category, triaged.Priority));
        Assert.Equal(category != "general", triaged.Recognised);
    }

    [Theory]
    [InlineData("I want to report harassment by my manager")]
    [InlineData("my manager harassed me about my password")]
    [InlineData("I'm being bullied by a colleague")]
    [InlineData("I want to raise a grievance")]
    [InlineData("I need to report inappropriate behaviour in my team")]
    public void Complaints_about_people_go_to_hr(string text)
    {
        var triaged = _triage.Classify(text);

        Assert.Equal(("HR", true), (triaged.Team, triaged.Recognised));
    }

    [Theory]
    [InlineData("Please install antivirus on my new machine", "IT", "software")]
    [InlineData("Why was my account suspension not lifted", "IT", "general")]
    [InlineData("docker desktop will not start", "IT", "general")]
    [InlineData("Two invoices from our supplier are unpaid", "Finance", "invoices")]
    [InlineData("When is my reimbursement paid", "Finance", "expenses")]
    [InlineData("I clicked a link and think I was hacked", "Security", "incident")]
    [InlineData("Which apps can I install myself", "IT", "software")]
    public void Keywords_match_as_whole_words_with_their_endings(string text, string team, string category)
    {
        var triaged = _triage.Classify(text);

        Assert.Equal((team, category), (triaged.Team, triaged.Category));
    }
}
