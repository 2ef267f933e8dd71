namespace ItChatBot.Core.Queues;

/// <summary>The <c>Queues</c> configuration section: reopen window, surveys, SLA warnings and priority keywords.</summary>
public sealed class QueueOptions
{
    /// <summary>A requester's reply (or "Not fixed") within this time after resolution reopens the ticket; later ones open a linked new ticket.</summary>
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long an agent's question (a reply, or <c>/it wait</c>) counts as waiting for its requester's answer: within it, the
    /// requester's next message at the top of the conversation goes to that ticket (<see cref="AwaitedAnswers"/>).
    /// </summary>
    public TimeSpan AnswerWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// In a conversation without threads (a Teams personal or group chat), how long after a request is opened the requester's
    /// next messages at the top of the conversation add to it rather than open requests of their own, unless they name
    /// another kind of request (<see cref="AwaitedAnswers"/>); zero turns this off.
    /// </summary>
    public TimeSpan FollowUpWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long after a resolution the CSAT survey goes out.</summary>
    public TimeSpan SurveyDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after the first answer the requester may change it.</summary>
    public TimeSpan SurveyChangeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// An answer at or below this score is posted in the ticket's queue thread (or its team's queue channel when it has
    /// none, as for a ticket automation resolved), so that someone can follow up; 0 posts none.
    /// </summary>
    public int SurveyAlertAtOrBelow { get; set; } = 2;

    /// <summary>Resolutions older than this get no survey (an imported history must not send a thousand).</summary>
    public TimeSpan SurveyMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Share of an SLA target at which the queue is warned; the breach warning comes at 100%.</summary>
    public double WarnAt { get; set; } = 0.75;

    /// <summary>A breach older than this when the monitor first sees it (an imported backlog) is recorded without a notice.</summary>
    public TimeSpan SlaNoticeMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the SLA monitor and the survey sender look for work.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Off in tests, which call the passes themselves so that nothing runs behind their back.</summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>
    /// Keyword rules for the priority of a new request, first match wins; words match whole words or phrases.
    /// When the section sets none, <see cref="PriorityRules.Defaults"/> apply.
    /// </summary>
    public List<PriorityRule> PriorityRules { get; set; } = [];
}

public sealed class PriorityRule
{
    public string Priority { get; set; } = "P3";

    public List<string> Words { get; set; } = [];
}
