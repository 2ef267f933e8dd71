using ItChatBot.Automation.Understanding;
using Xunit.Abstractions;

namespace ItChatBot.Automation.Tests;

public sealed class ClassifierTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AutomationHarness _harness = null!;

    private IntentClassifier Classifier => _harness.Get<IntentClassifier>();

    public async Task InitializeAsync() => _harness = await AutomationHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public void Held_out_phrasings_are_classified_with_at_least_90_percent_accuracy()
    {
        var misses = new List<string>();
        var confident = 0;
        foreach (var (text, expected) in HeldOutPhrasings.All)
        {
            var understood = Classifier.Classify(text);
            if (understood.Top?.Intent.Name != expected)
            {
                misses.Add($"'{text}': expected {expected}, got {understood.Top?.Intent.Name ?? "nothing"} ({understood.Confidence:0.00})");
            }
            else if (Classifier.IsConfident(understood))
            {
                confident++;
            }
        }

        var accuracy = 1.0 - ((double)misses.Count / HeldOutPhrasings.All.Count);
        output.WriteLine($"Top-1 accuracy {accuracy:P1} on {HeldOutPhrasings.All.Count} held-out phrasings; {confident} correct and confident.");
        misses.ForEach(output.WriteLine);
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy:P1}; misses:\n{string.Join('\n', misses)}");
    }

    [Fact]
    public void No_held_out_phrasing_is_a_copy_of_an_example()
    {
        var examples = _harness.Get<Workflows.WorkflowCatalog>().All.SelectMany(w => w.Examples).Select(e => e.ToLowerInvariant()).ToHashSet();

        Assert.DoesNotContain(HeldOutPhrasings.All, p => examples.Contains(p.Text.ToLowerInvariant()));
    }

    [Fact]
    public void A_clear_request_is_confident_and_carries_its_slots()
    {
        var understood = Classifier.Classify("I need admin rights on the AWS console for 3 days");

        Assert.Equal("temporary-admin", understood.Top!.Intent.Name);
        Assert.True(Classifier.IsConfident(understood), $"confidence {understood.Confidence}");
        Assert.Equal("aws", understood.Slots["application"]);
        Assert.Equal("3d", understood.Slots["duration"]);
    }

    [Fact]
    public void Unrelated_text_is_not_confident()
    {
        var understood = Classifier.Classify("the coffee machine on floor two makes strange noises");

        Assert.False(Classifier.IsConfident(understood));
    }

    [Theory]
    [InlineData("my laptop will not start after the update")]
    [InlineData("my laptop won't start anymore")]
    [InlineData("the update broke my laptop")]
    public void A_device_fault_starts_no_workflow(string text)
    {
        // "start" here is a machine booting, not a person's first day: it must not launch onboarding and its approval.
        var understood = Classifier.Classify(text);

        Assert.False(Classifier.IsConfident(understood), $"{understood.Top?.Intent.Name} at {understood.Confidence:0.00}");
    }

    [Theory]
    [InlineData("I started yesterday and need a laptop")]
    [InlineData("it is my first day and I have no accounts")]
    [InlineData("I joined this week, please set me up")]
    public void A_person_starting_work_is_onboarding(string text)
    {
        var understood = Classifier.Classify(text);

        Assert.Equal("new-hire-onboarding", understood.Top!.Intent.Name);
        Assert.True(Classifier.IsConfident(understood), $"confidence {understood.Confidence:0.00}");
    }

    [Theory]
    [InlineData("can you reset my MFA?")]
    [InlineData("please reset my 2FA, new phone")]
    [InlineData("my authenticator app needs resetting")]
    [InlineData("reset my one time password (OTP) token")]
    public void A_reset_of_another_factor_is_never_a_password_reset(string text)
    {
        // The password-reset workflow's excludes: its run would send a password reset link for a request about MFA.
        var understood = Classifier.Classify(text);

        Assert.DoesNotContain(understood.Ranked, s => s.Intent.Name == "password-reset");
        Assert.Equal("password-reset", Classifier.Classify("please reset my password").Top!.Intent.Name);
    }

    [Theory]
    [InlineData("outlook keeps asking for my password")] // was a confident password reset: a reset link sent, the ticket resolved
    [InlineData("Teams keeps prompting me for my password")]
    [InlineData("a password popup appears every time I open Excel")]
    [InlineData("how do I share a password with my team")]
    [InlineData("what is the guest wifi password")]
    public void A_password_that_is_asked_for_or_is_not_the_persons_own_is_no_password_reset(string text)
    {
        // A reset would not help (a cached credential keeps prompting) or is not what was asked; people look at it.
        Assert.DoesNotContain(Classifier.Classify(text).Ranked, s => s.Intent.Name == "password-reset");
    }

    [Theory]
    [InlineData("my phone is locked")] // was a confident password reset: a reset link sent for the person's sign-in
    [InlineData("I forgot my phone passcode")]
    [InlineData("my bitlocker is locked")] // a recovery key, which a password reset does not give
    [InlineData("the door to room 4 won't unlock")] // "unlock" is a lock word now; before, nothing matched
    [InlineData("unlock the shared drive folder")]
    public void A_locked_thing_that_is_not_the_persons_account_is_no_password_reset(string text)
    {
        Assert.DoesNotContain(Classifier.Classify(text).Ranked, s => s.Intent.Name == "password-reset");
    }

    [Theory]
    [InlineData("I forgot my outlook password")]
    [InlineData("my password expired, please reset it")]
    [InlineData("locked out of my account after too many attempts")]
    [InlineData("please unlock my account")] // was "Did you mean" app access, time-bound access or password reset
    [InlineData("can you unlock my account")]
    [InlineData("my account needs unlocking")]
    [InlineData("locked out of my account on my phone")] // a phone named, but the account is what is locked
    public void A_forgotten_expired_or_locked_password_is_still_a_confident_reset(string text)
    {
        var understood = Classifier.Classify(text);

        Assert.Equal("password-reset", understood.Top!.Intent.Name);
        Assert.True(Classifier.IsConfident(understood), $"confidence {understood.Confidence:0.00}");
    }

    [Theory]
    [InlineData("I need a new monitor")] // was asked "Did you mean" password reset, device enrollment or onboarding
    [InlineData("I need a new keyboard")]
    [InlineData("new mouse please")]
    [InlineData("my new laptop is slow")] // was onboarding at 0.45, through "new" and "laptop"
    [InlineData("I need a new laptop, mine is 5 years old")]
    public void A_describing_word_is_no_match_for_a_workflow(string text)
    {
        // "new" is in examples of password reset ("I need a new password"), enrollment and onboarding; what the request is
        // about (a monitor, a slow laptop) is in none of them, so there is nothing to run and nothing to ask about.
        var understood = Classifier.Classify(text);

        Assert.True(understood.Confidence < Classifier.Settings.AskThreshold, $"{understood.Top?.Intent.Name} at {understood.Confidence:0.00}");
    }

    [Theory]
    [InlineData("I need a new phone")] // was device enrollment, confident (0.83): its run sends instructions and resolves
    [InlineData("new phone please")]
    [InlineData("my docking station doesn't work")]
    public void A_workflow_that_requires_its_keywords_is_not_chosen_without_one(string text)
    {
        var enrollment = Classifier.Find("device-enrollment")!;

        Assert.DoesNotContain(Classifier.Classify(text).Ranked, s => s.Intent == enrollment);
        Assert.True(Classifier.Excluded(enrollment, text)); // what the LLM path asks too
        var named = Classifier.Classify("how do I enroll my new phone");
        Assert.Equal(enrollment, named.Top!.Intent);
        Assert.True(Classifier.IsConfident(named));
        Assert.False(Classifier.Excluded(enrollment, "how do I enroll my new phone"));
    }

    [Fact]
    public void A_request_naming_an_application_is_not_confidently_a_workflow_that_takes_none()
    {
        var understood = Classifier.Classify("I want a Datadog login");

        Assert.False(Classifier.IsConfident(understood), $"{understood.Top?.Intent.Name} at {understood.Confidence:0.00}");
        Assert.Equal("datadog", understood.Slots["application"]);
    }

    [Theory]
    [InlineData("I need access to Figma for 2 days for the design review", "temporary-access")] // was Security's access reviews, confident
    [InlineData("who has access to Salesforce, I need to review it", "app-access")]
    public void A_category_named_in_several_words_is_no_match_for_one_of_them(string text, string intent)
    {
        var understood = Classifier.Classify(text);

        Assert.Equal(intent, understood.Top!.Intent.Name);
        Assert.DoesNotContain(understood.Ranked, s => s.Intent.Name == "category:Security/access-review");
        var named = Classifier.Classify("can you do an access review for my team");
        Assert.Equal("category:Security/access-review", named.Top!.Intent.Name);
        Assert.True(Classifier.IsConfident(named));
    }

    [Fact]
    public void A_category_without_a_workflow_is_recognised_from_its_name()
    {
        var understood = Classifier.Classify("vpn");

        Assert.Equal("category:IT/vpn", understood.Top!.Intent.Name);
        Assert.Null(understood.Top.Intent.Workflow);
    }

    [Theory]
    [InlineData("I need access to Jira for 3 days", "temporary-access")]
    [InlineData("please give me Tableau access for the next 5 days", "temporary-access")]
    [InlineData("I need access to Jira", "app-access")]
    [InlineData("I've been locked out for two hours, please reset my password", "password-reset")]
    public void A_request_that_says_how_long_goes_to_a_time_bound_workflow_unless_it_asks_for_something_else(string text, string intent)
    {
        var understood = Classifier.Classify(text);

        Assert.Equal(intent, understood.Top?.Intent.Name);
        Assert.True(Classifier.IsConfident(understood), $"{text}: {understood.Confidence:0.00}");
    }

    [Theory]
    [InlineData("access to GitHub for 2 days please", "github", "2d", null)]
    [InlineData("give me gh for an hour", "github", "1h", null)]
    [InlineData("install vs code on my macbook", "vscode", null, "laptop")]
    [InlineData("enroll my iPhone", null, null, "phone")]
    [InlineData("admin on jira until tomorrow", "jira", "1d", null)]
    [InlineData("admin on jira for the week", "jira", "7d", null)]
    [InlineData("Tableau access for the next 5 days", "tableau", "5d", null)]
    [InlineData("my password", null, null, null)]
    [InlineData("someone is tailgating into the office", null, null, null)] // was Microsoft Office, and time-bound access to it
    [InlineData("our office printer is jammed", null, null, "printer")]
    [InlineData("install office on my laptop", "office", null, "laptop")]
    [InlineData("I need an Office licence", "office", null, null)]
    [InlineData("the office wifi is slow and Excel crashes", "office", null, null)] // the place is passed over, the app still found
    public void Slots_are_extracted(string text, string? application, string? duration, string? device)
    {
        var slots = _harness.Get<SlotExtractor>().Extract(text).Slots;

        Assert.Equal(application, slots.GetValueOrDefault("application"));
        Assert.Equal(duration, slots.GetValueOrDefault("duration"));
        Assert.Equal(device, slots.GetValueOrDefault("device"));
    }
}
