using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;

namespace ItChatBot.Core.Queues.Verbs;

/// <summary>
/// Agents: mark a ticket as waiting on its requester, optionally with the question they are to answer, which is sent to
/// them as the agent's reply; its SLA clocks pause until they reply.
/// </summary>
public sealed class WaitVerb(QueueDesk desk) : ICommandVerb
{
    public string Command => "it";

    public string Verb => "wait";

    public string Usage => "/it wait KEY [question] (e.g. /it wait IT-42 which dock model do you have?)";

    public string Summary => "Agents: mark a ticket as waiting on its requester, with the question they are to answer; its SLA clocks pause until they reply. One nobody has becomes yours.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var (key, question) = await VerbArguments.KeyAndRestAsync(turn, desk, arguments, Usage, cancellationToken);
        await desk.WaitAsync(turn, key, question.Length == 0 ? null : question, cancellationToken);
    }
}
