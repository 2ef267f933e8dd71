using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// <c>/it override KEY cancel|complete REASON</c>: an agent of the ticket's team stops the ticket's running workflow
/// (cancel) or finishes the request by hand (complete: the ticket is resolved by the agent). Recorded as
/// <c>Overridden</c> with the reason, and audited; the engine sees it and runs no further step.
/// </summary>
public sealed class OverrideVerb(WorkflowOverride overrides) : ICommandVerb
{
    public const string Cancel = WorkflowOverride.Cancel;
    public const string Complete = WorkflowOverride.Complete;

    public string Command => "it";

    public string Verb => "override";

    public string Usage => "/it override KEY cancel|complete REASON";

    public string Summary => "Agents: cancel a ticket's running workflow, or complete the request by hand, with a reason.";

    public IReadOnlyList<string> Audience => [Roles.Agent];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length < 1 || !TicketKey.TryParse(words[0], out var key))
        {
            throw new UsageException(words.Length < 1 ? "Name the ticket." : $"'{words[0]}' is not a ticket key; keys look like IT-42.", Usage);
        }

        var what = words.Length > 1 ? words[1].ToLowerInvariant() : "";
        if (what is not (Cancel or Complete))
        {
            throw new UsageException(what.Length == 0 ? "Say cancel or complete." : $"'{words[1]}' is not cancel or complete.", Usage);
        }

        var reason = words.Length > 2 ? words[2].Trim() : "";
        if (reason.Length == 0)
        {
            throw new UsageException("A reason is required.", Usage);
        }

        await overrides.OverrideAsync(turn, key.ToString(), what, reason, null, cancellationToken);
    }

    /// <summary>The latest run started on the ticket that has not ended.</summary>
    public static string? ActiveRun(IEnumerable<TicketEvent> events) => WorkflowOverride.ActiveRun(events);
}
