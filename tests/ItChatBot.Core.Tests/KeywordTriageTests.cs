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
    // Each went to IT general.
    [InlineData("I was charged twice for the conference ticket on my corporate card", "Finance", "expenses")]
    [InlineData("how do I get a refund for the train ticket I bought", "Finance", "expenses")]
    [InlineData("can I claim mileage for the client visit", "Finance", "expenses")]
    [InlineData("I received a suspicious text message claiming to be from the CEO", "Security", "phishing")]
    [InlineData("someone called pretending to be from IT support", "Security", "phishing")]
    [InlineData("there's an account impersonating our CFO on Slack", "Security", "phishing")]
    [InlineData("when will I get my bonus", "HR", "payroll")]
    [InlineData("my commission for Q3 is missing", "HR", "payroll")]
    [InlineData("my tax code looks wrong", "HR", "payroll")]
    [InlineData("please decommission the old build server", "IT", "general")] // "commission" only as a word
    [InlineData("I can't hear anyone on teams calls", "IT", "hardware")]
    [InlineData("my microphone isn't picked up in zoom", "IT", "hardware")]
    [InlineData("there is no sound on my calls today", "IT", "hardware")]
    public void Impersonation_card_charges_pay_questions_and_call_audio_each_find_their_team(string text, string team, string category)
    {
        var triaged = _triage.Classify(text);

        Assert.Equal((team, category, category != "general"), (triaged.Team, triaged.Category, triaged.Recognised));
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
    [InlineData("I need a new phone", "IT", "hardware")]
    [InlineData("my paycheck is missing overtime", "HR", "payroll")]
    [InlineData("my wages were paid late", "HR", "payroll")]
    [InlineData("my email keeps asking for my password", "IT", "password")] // a sign-in prompt, not a message asking for it
    [InlineData("my phone won't get work email", "IT", "email")]
    [InlineData("I need headphones and a webcam", "IT", "hardware")]
    [InlineData("zoom keeps crashing when I share my screen", "IT", "software")] // went to hardware through "screen"
    [InlineData("my screen flickers", "IT", "hardware")]
    [InlineData("someone is tailgating into the office", "Security", "incident")] // was time-bound access to Microsoft Office
    [InlineData("my badge doesn't open the 3rd floor door", "Security", "general")] // went to IT general
    [InlineData("my print job won't release when I tap my badge on the printer", "IT", "hardware")]
    [InlineData("can I work from home tomorrow", "HR", "general")] // went to IT general
    [InlineData("the projector in room 4 is not working", "IT", "hardware")] // went to IT general
    [InlineData("the VPN doesn't work from home", "IT", "vpn")]
    [InlineData("I need a letter confirming my employment", "HR", "general")]
    [InlineData("please install Docker Desktop on my laptop", "IT", "software")] // went to hardware through "laptop"
    [InlineData("can you get Zoom installed onto my new laptop", "IT", "software")]
    [InlineData("please install a second monitor on my desk", "IT", "hardware")]
    [InlineData("my laptop will not install updates", "IT", "hardware")]
    [InlineData("salesforce freezes when I open a report", "IT", "software")] // went to access through "salesforce"
    [InlineData("jira keeps crashing on my mac", "IT", "software")]
    [InlineData("github won't load for me today", "IT", "software")]
    [InlineData("github won’t load for me today", "IT", "software")] // a phone's apostrophe
    [InlineData("I need access to jira, the board crashes without it", "IT", "access")]
    [InlineData("can you add me to the salesforce group", "IT", "access")]
    public void Keywords_match_as_whole_words_with_their_endings(string text, string team, string category)
    {
        var triaged = _triage.Classify(text);

        Assert.Equal((team, category), (triaged.Team, triaged.Category));
    }

    [Theory]
    [InlineData("I think I clicked a phishing link")]
    [InlineData("I entered my password on a fake Microsoft login page")]
    [InlineData("I opened the attachment in that suspicious email")]
    [InlineData("oops, I replied to a scam email with my bank details")]
    [InlineData("I think my account was compromised")]
    [InlineData("my laptop was stolen from my car")]
    [InlineData("someone hacked my email")]
    [InlineData("I lost my badge")] // a door credential to switch off, not the printer article's "badge release"
    public void Acting_on_phishing_and_other_security_incidents_go_to_security_at_p2_at_least(string text)
    {
        var triaged = _triage.Classify(text);

        Assert.Equal(("Security", "incident", "P2", true, true), (triaged.Team, triaged.Category, triaged.Priority, triaged.Recognised, triaged.Incident));
    }

    [Theory]
    [InlineData("I got a suspicious email, is it phishing?", "Security", "phishing")]
    [InlineData("I clicked the link in the welcome email and it says expired", "IT", "email")]
    [InlineData("how do I report a scam text message", "Security", "phishing")]
    [InlineData("I got a weird email asking me to confirm my bank details", "Security", "phishing")] // went to IT email
    [InlineData("a text message wants my MFA code", "Security", "phishing")]
    [InlineData("someone called asking for my password", "Security", "phishing")]
    [InlineData("someone keeps sending me weird emails asking for gift cards", "Security", "phishing")] // went to IT email
    [InlineData("strange texts asking me to verify my payment details", "Security", "phishing")]
    [InlineData("my outlook keeps asking for my password", "IT", "password")] // a sign-in prompt, no message received
    public void A_question_about_phishing_or_a_clicked_link_alone_is_no_incident(string text, string team, string category)
    {
        var triaged = _triage.Classify(text);

        Assert.Equal((team, category, "P3", false), (triaged.Team, triaged.Category, triaged.Priority, triaged.Incident));
    }

    [Theory]
    [InlineData("not urgent, but my mouse scroll wheel sticks", "P4")] // was P1 through "urgent"
    [InlineData("nothing is down, outlook is just slow today", "P3")] // was P1 through "down"
    [InlineData("probably not an outage, but the wiki feels slow", "P3")]
    [InlineData("not everyone needs this, just me: can I get Visio", "P3")]
    [InlineData("this isn't very urgent", "P3")]
    [InlineData("urgent: payroll is not working", "P1")]
    [InlineData("I'm not sure, but I think the wiki is down", "P1")] // the doubt is not about the outage
    [InlineData("no one can log in, the wiki is down for everyone", "P1")]
    [InlineData("it's not working and I'm blocked", "P2")]
    public void A_priority_word_the_sentence_denies_raises_nothing(string text, string priority)
    {
        Assert.Equal(priority, _triage.Classify(text).Priority);
    }

    [Theory]
    // Each was P1, the outage priority, through "everyone" or "down".
    [InlineData("can everyone in my team get access to the design share drive", "P3")]
    [InlineData("please give everyone in sales a copy of the price list template", "P3")]
    [InlineData("I need to send an email to everyone in the company", "P3")]
    [InlineData("how do I book a meeting room for everyone on my team", "P3")]
    [InlineData("can all users see the new holiday calendar?", "P3")]
    [InlineData("my laptop keeps shutting down randomly", "P3")]
    [InlineData("my screen is upside down", "P3")]
    [InlineData("my docking station slows down my laptop", "P3")]
    [InlineData("my laptop battery runs down in an hour", "P3")]
    [InlineData("the teams window won't let me scroll down", "P3")]
    [InlineData("my laptop fan is down to a whisper but the laptop is hot", "P3")]
    [InlineData("my battery is down to 10% by lunch every day", "P3")]
    // Still outages.
    [InlineData("the wiki is down", "P1")]
    [InlineData("is the VPN down for everyone?", "P1")]
    [InlineData("everyone on floor 3 has no wifi", "P1")]
    [InlineData("something is wrong with everyone's email", "P1")]
    [InlineData("jira went down again", "P1")]
    [InlineData("jira is down today", "P1")]
    [InlineData("the wiki is down, too", "P1")]
    public void Everyone_and_down_raise_a_request_to_p1_only_when_they_say_who_is_affected_or_that_something_is_down(string text, string priority)
    {
        Assert.Equal(priority, _triage.Classify(text).Priority);
    }

    [Theory]
    // Each was P3: the defaults had "not working" only.
    [InlineData("my laptop won't turn on and I have a demo in 30 minutes")]
    [InlineData("my laptop won’t turn on")] // a phone's apostrophe
    [InlineData("outlook stopped working after the update")]
    [InlineData("the dock doesn't work")]
    [InlineData("my mac won't boot")]
    [InlineData("I can’t work, my account is locked")] // "can't work" with a phone's apostrophe
    public void A_device_or_app_that_stopped_working_is_p2_whichever_apostrophe_is_typed(string text)
    {
        Assert.Equal("P2", _triage.Classify(text).Priority);
    }

    [Fact]
    public void Configured_priority_rules_may_raise_an_incident_to_p1_but_never_leave_it_below_p2()
    {
        var rules = new Queues.PriorityRules([new Queues.PriorityRule { Priority = "P4", Words = ["phishing"] }, new Queues.PriorityRule { Priority = "P1", Words = ["ransomware"] }]);
        var triage = new KeywordTriage(new SupportTeams([]), rules);

        Assert.Equal("P2", triage.Classify("I think I clicked a phishing link").Priority);
        Assert.Equal("P1", triage.Classify("ransomware on my laptop").Priority);
        Assert.Equal("P4", triage.Classify("I got a phishing email").Priority);
    }
}
