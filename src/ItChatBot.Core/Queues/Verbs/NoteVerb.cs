using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>Agents: an internal note on a ticket, posted in its queue thread and never sent to the requester.</summary>
/// <remarks>In a queue thread, a message starting with <c>note:</c> does the same (Slack gives a slash command no thread).</remarks>
public sealed class NoteVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "note";

    public string Usage => "/it note KEY text (e.g. /it note IT-42 waiting on the vendor's RMA); in the queue thread: note: text";

    public string Summary => "Agents: add an internal note for the team; the requester never sees it.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, note) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        await desk.NoteAsync(turn, key, QueueNotes.Check(note, Usage), toQueue: true, cancellationToken);
    }
}
