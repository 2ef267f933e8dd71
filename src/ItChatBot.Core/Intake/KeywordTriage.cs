using System.Text.RegularExpressions;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Intake;

/// <summary>
/// The first, simple understanding of a request: team, category and priority from keywords.
/// The automation classifier runs before it and replaces it where it is confident.
/// </summary>
public sealed partial class KeywordTriage(SupportTeams teams, Queues.PriorityRules? priorityRules = null)
{
    // Queues:PriorityRules as configured, or their defaults.
    private readonly Queues.PriorityRules _priorityRules = priorityRules ?? new Queues.PriorityRules([]);

    private static readonly (string Team, string Category, string[] Words)[] CategoryRules =
    [
        // Complaints about people go to HR before anything else a sentence may also mention ("my manager harassed me about my
        // password" is not a password question), and never to a queue other teams read.
        ("HR", "general", ["harass", "bully", "bullied", "discrimination", "discriminated", "grievance", "misconduct", "whistleblow", "whistleblower", "inappropriate behaviour", "inappropriate behavior"]),
        // A message or call that pretends to be someone: a phishing report whatever it came by ("I received a suspicious text
        // message claiming to be from the CEO" went to IT general).
        ("Security", "phishing", ["phishing", "suspicious email", "scam", "spoof", "smishing", "vishing", "suspicious text", "suspicious message",
            "suspicious sms", "suspicious call", "suspicious link", "claiming to be from", "pretending to be from", "impersonating"]),
        ("Security", "incident", ["tailgate", "tailgating", "tailgated", "intruder", "malware", "virus", "hacked", "breach", "stolen laptop", "laptop was stolen", "phone was stolen", "lost my laptop", "lost my phone", "lost my badge", "badge was stolen", "lost my access card", "ransomware", "compromised"]),
        ("HR", "payroll", ["payslip", "payroll", "salary", "pay slip", "paycheck", "paycheque", "overtime", "wage", "bonus", "commission", "pay rise", "payday", "tax code", "p60"]),
        ("HR", "leave", ["holiday", "vacation", "leave", "sick day", "time off"]),
        ("HR", "onboarding", ["new hire", "onboarding", "new starter", "joiner"]),
        ("HR", "benefits", ["pension", "benefit", "insurance"]),
        // A card the company pays with, and money charged or owed back to the person: an expense question, not IT's ("I was
        // charged twice for the conference ticket on my corporate card" went to IT general).
        ("Finance", "expenses", ["expense", "reimburse", "receipt", "corporate card", "company card", "credit card", "amex", "charged twice", "double charged", "refund", "per diem", "mileage"]),
        ("Finance", "invoices", ["invoice", "supplier payment", "vendor payment"]),
        ("Finance", "purchasing", ["purchase order", "procurement", "buy a licence", " po "]),
        ("IT", "password", ["password", "locked out", "reset my", "mfa", "2fa", "login"]),
        ("IT", "vpn", ["vpn", "remote access"]),
        ("IT", "access", ["access to", "permission", "group", "github", "jira", "salesforce", "admin rights"]),
        ("IT", "email", ["email", "outlook", "mailbox", "calendar"]),
        ("IT", "network", ["wifi", "wi-fi", "network", "internet", "ethernet"]),
        // Sharing a screen is an app's feature, not the monitor ("zoom keeps crashing when I share my screen" went to hardware).
        ("IT", "software", ["share my screen", "screen share", "screen sharing", "screensharing"]),
        ("IT", "hardware", ["laptop", "monitor", "keyboard", "mouse", "printer", "screen", "dock", "headset", "headphone", "webcam", "charger", "phone", "projector", "speakerphone", "tv",
            // Sound on calls: the headset, the microphone, or their settings, which the same desk looks at ("I can't hear
            // anyone on teams calls" went to IT general).
            "microphone", "mic", "audio", "can't hear", "cannot hear", "can’t hear", "no sound"]),
        ("IT", "software", ["install", "software", "licence", "license", "update", "app ", "crash", "crashing", "freezes", "freezing", "frozen", "not responding"]),
        // After IT's words, so that "my badge won't release the print job" stays with the printer and "the VPN doesn't work
        // from home" with the VPN: what is left is about the door, or about the job itself.
        ("Security", "general", ["badge", "door", "doors", "keycard", "key card", "access card", "turnstile", "cctv"]),
        ("HR", "general", ["work from home", "working from home", "wfh", "remote working", "employment letter", "letter confirming my employment", "proof of employment", "employment verification", "reference letter"]),
    ];

    /// <summary>
    /// Each category rule's words as whole words, with their common endings ("invoices", "reimbursement", "hacked"): a
    /// word found inside another sent requests astray ("install antivirus" to Security as a virus incident, "account
    /// suspension" to HR as a pension question, "docker" to IT hardware as a dock).
    /// </summary>
    private static readonly (string Team, string Category, Regex Pattern)[] CategoryPatterns =
        [.. CategoryRules.Select(r => (r.Team, r.Category, new Regex(
            $@"(?<![\p{{L}}\p{{N}}])(?:{string.Join('|', r.Words.Select(w => Regex.Escape(w.Trim())))})(?:s|es|d|ed|ing|ment|ation)?(?![\p{{L}}\p{{N}}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled)))];

    /// <summary>
    /// Someone did what a phishing message asked ("I think I clicked a phishing link", "I entered my password on a fake
    /// site", "I opened the attachment in that suspicious email"): an incident, not a question about phishing. It is
    /// checked before the category rules, whose "phishing" would otherwise take it.
    /// </summary>
    [GeneratedRegex(@"^(?=.*\b(?:clicked|opened|entered|typed|gave|downloaded|replied|responded|scanned)\b)(?=.*\b(?:phishing|phish|suspicious|fake|scam|scammer|dodgy|malicious|spoofed)\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ActedOnPhishingPattern();

    /// <summary>
    /// A message that asks for what phishing asks for ("I got a weird email asking me to confirm my bank details", "a text
    /// wants my password", "someone called asking for my password"): a phishing report, whatever the person calls the
    /// message. It went to IT as an email question. A message the person receives is named as one ("a weird email", "this
    /// text", "weird emails", "someone keeps sending me…"), so "my email keeps asking for my password" (a sign-in prompt) is
    /// not one. "someone keeps sending me weird emails asking for gift cards" went to IT email as P3.
    /// Checked after <see cref="ActedOnPhishingPattern"/> (having answered it is an incident) and before the category rules.
    /// </summary>
    [GeneratedRegex(@"(\b(an?|this|that|these|those|some|weird|strange|odd|random)\s+([\p{L}-]+\s+){0,2}(e-?mails?|messages?|texts?|sms|calls?|voicemails?|dms?)\b|\bsomeone\s+((keeps|kept|has\s+been|is)\s+)?(called|rang|phoned|texted|emailed|messaged|calling|phoning|texting|emailing|messaging|sending|sent)\b).{0,40}?\b(ask|asks|asking|asked|wants|wanted|requesting|requests|demanding|telling me)\b.{0,40}?\b(password|passcode|bank|card|gift ?cards?|payment|pay|wire|login|credentials|verify|confirm|mfa|code)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex PhishingAskPattern();

    /// <summary>
    /// Software put on a device ("please install Docker Desktop on my laptop", "can you get Zoom installed onto my new
    /// machine"): the device says where, the verb says what, so it is a software request, not hardware. Checked only when
    /// the rules found hardware.
    /// </summary>
    [GeneratedRegex(@"\b(install|installed|installing|reinstall|download|downloaded)\b[^.?!]{0,60}?\b(on|onto)\s+(my|the|our|a|this)\s+([\p{L}-]+\s+)?(laptop|computer|machine|pc|mac|macbook|desktop|workstation|phone|iphone)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SoftwareOnDevicePattern();

    /// <summary>
    /// An app that crashes, freezes or will not open ("salesforce freezes when I open a report", "jira keeps crashing"): the
    /// access rule, which names those apps, took it for an access request. Checked only when the rules found access, and
    /// only without words of access (<see cref="AccessAskPattern"/>).
    /// </summary>
    [GeneratedRegex(@"\b(crash|crashes|crashed|crashing|freeze|freezes|freezing|froze|frozen|hangs|hanging|not responding|keeps closing|won['’]?t (open|load)|will not (open|load)|doesn['’]?t (open|load))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AppFaultPattern();

    /// <summary>Words that ask for access itself, so a crash beside them ("I need access to jira, it crashes for me") stays access.</summary>
    [GeneratedRegex(@"\b(access|permissions?|group|admin rights|add me|grant|licen[cs]e)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccessAskPattern();

    public Triage Classify(string text)
    {
        var actedOnPhishing = ActedOnPhishingPattern().IsMatch(text);
        var phishingAsk = !actedOnPhishing && PhishingAskPattern().IsMatch(text);
        var match = actedOnPhishing || phishingAsk ? default : CategoryPatterns.FirstOrDefault(r => r.Pattern.IsMatch(text));
        var (team, category) = actedOnPhishing ? ("Security", "incident") : phishingAsk ? ("Security", "phishing") : match.Pattern is null ? ("IT", "general") : (match.Team, match.Category);
        if ((team, category) == ("IT", "hardware") && SoftwareOnDevicePattern().IsMatch(text))
        {
            category = "software";
        }

        if ((team, category) == ("IT", "access") && AppFaultPattern().IsMatch(text) && !AccessAskPattern().IsMatch(text))
        {
            category = "software";
        }

        var worded = _priorityRules.Match(text);
        var priority = worded ?? "P3";
        var incident = team == "Security" && category == "incident";
        if (incident && string.CompareOrdinal(priority, "P2") > 0)
        {
            // A security incident is never behind P3 work, whatever words it was told in: the sooner Security acts, the
            // less it costs. (The priority rules may still make it P1: "ransomware", "breach".)
            priority = "P2";
        }

        var known = teams.Find(team) ?? teams.All.First();
        var knownCategory = known.Categories.Count == 0 || known.Categories.Contains(category) ? category : "general";
        var recognised = (actedOnPhishing || phishingAsk || match.Pattern is not null) && known.Name == team;
        return new Triage(known.Name, knownCategory, priority) { Recognised = recognised, Incident = incident && recognised, PriorityWorded = worded is not null };
    }
}

public sealed record Triage(string Team, string Category, string Priority)
{
    /// <summary>True when one of the category rules matched (not the IT/general default), and its team is configured.</summary>
    public bool Recognised { get; init; }

    /// <summary>
    /// A security incident (malware, a stolen laptop, a clicked phishing link): its team must act now, so it goes to them
    /// at once rather than after a help article is offered.
    /// </summary>
    public bool Incident { get; init; }

    /// <summary>True when a priority rule's words set <see cref="Priority"/> ("urgent", "no rush"); false when it is the default P3.</summary>
    public bool PriorityWorded { get; init; }
}
