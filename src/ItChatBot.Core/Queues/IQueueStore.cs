using ItChatBot.Core.Conversations;

namespace ItChatBot.Core.Queues;

/// <summary>
/// What the queues remember beside the event log: where each ticket was posted, which SLA warnings went out,
/// how far the survey sender has read the log, and the surveys waiting for their time.
/// </summary>
public interface IQueueStore
{
    /// <summary>
    /// Stores the post and puts <paramref name="messages"/> (its cards) in the outbox, in one write, unless the ticket
    /// already has a post for that team (false then, and nothing is stored): insert-or-fail, never check-then-insert.
    /// In the same write, each message that opens a thread of its own (the web chat's queue threads) has that thread
    /// linked to the ticket, so that a reply there reaches it. A post is never stored without its cards: a post whose
    /// cards were lost would keep the ticket off its queue for good, since a post is made once.
    /// </summary>
    Task<bool> TryAddPostAsync(QueuePost post, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<QueuePost>> PostsOfAsync(string ticket, CancellationToken cancellationToken = default);

    /// <summary>Posts on channels whose thread id comes back from the platform (Slack ts) and is not linked yet.</summary>
    Task<IReadOnlyList<QueuePost>> UnlinkedPostsAsync(CancellationToken cancellationToken = default);

    Task UpdatePostAsync(QueuePost post, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="keys"/> were recorded before (<see cref="TryMarkOnceAsync"/>).</summary>
    Task<IReadOnlySet<string>> MarkedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that things happened once (SLA warnings) and puts <paramref name="messages"/> (the notice saying so) in the
    /// outbox, in one write: every key or none, false with nothing stored when any of them was recorded before. A mark
    /// is never stored without its notice, nor a notice sent twice.
    /// </summary>
    Task<bool> TryMarkOnceAsync(IReadOnlyCollection<string> keys, DateTimeOffset at, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken = default);

    Task<long> GetCheckpointAsync(string name, CancellationToken cancellationToken = default);

    Task SetCheckpointAsync(string name, long seq, CancellationToken cancellationToken = default);

    /// <summary>Adds the survey unless its resolution is already scheduled.</summary>
    Task ScheduleSurveyAsync(PendingSurvey survey, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PendingSurvey>> DueSurveysAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    Task RemoveSurveyAsync(string resolutionEventId, CancellationToken cancellationToken = default);
}

/// <summary>A ticket's card in one team's queue, on each of the team's queue channels.</summary>
public sealed record QueuePost(string Ticket, string Team, DateTimeOffset PostedAt, IReadOnlyList<QueuePostMessage> Messages)
{
    public string Id => QueueIds.Post(Ticket, Team);
}

/// <param name="OutboundId">The outbox message of the card, which later updates replace in place.</param>
/// <param name="ThreadId">The thread under the card, once known (web: at once; Slack and Teams: after sending).</param>
public sealed record QueuePostMessage(string Channel, string ConversationId, string OutboundId, string? ThreadId);

/// <summary>A survey to send for one resolution (the id of its <c>Resolved</c> event) when <see cref="Due"/> comes.</summary>
public sealed record PendingSurvey(string ResolutionEventId, string Ticket, DateTimeOffset Due);
