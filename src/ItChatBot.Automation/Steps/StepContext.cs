using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;

namespace ItChatBot.Automation.Steps;

/// <summary>What a step sees when it runs: the run, its definition, the ticket, the template values and the step's idempotency key.</summary>
public sealed record StepContext(
    WorkflowRun Run,
    WorkflowDefinition Definition,
    WorkflowStep Step,
    Ticket Ticket,
    Person? Requester,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyList<TicketEvent> History,
    DateTimeOffset Now)
{
    public string IdempotencyKey => WorkflowKeys.Step(Run.Id, Step.Index);

    /// <summary>Who approved this run (the last <c>ApprovalDecided(approved)</c> on it), or null for a run without an approval.</summary>
    public string? ApprovedBy => History
        .Where(e => e.Type == EventType.ApprovalDecided && e.Get(EventData.Run) == Run.Id && e.Get(EventData.Decision) == ApprovalGate.Approved)
        .Select(e => e.Actor)
        .LastOrDefault();

    public string Expand(string key, bool json = false) =>
        Step.Get(key) is { } template ? Template.Expand(template, Values, json) : throw new TemplateException($"The step has no '{key}'.");

    public string? ExpandOptional(string key, bool json = false) =>
        Step.Get(key) is { } template ? Template.Expand(template, Values, json) : null;

    /// <summary>The requester's thread, where the ticket started.</summary>
    public ConversationRef? Origin => Ticket.Conversation is { } conversation ? new ConversationRef(Ticket.Channel, conversation, Ticket.Thread) : null;
}

/// <summary>What a step produced: outputs for later steps' templates, ticket events and messages to record with its completion.</summary>
public sealed record StepResult
{
    public static StepResult Empty { get; } = new();

    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<TicketEvent> Events { get; init; } = [];

    public IReadOnlyList<OutboundMessage> Messages { get; init; } = [];
}

/// <summary>A step failure that retrying cannot fix (a missing user, a template with no value): the run fails at once.</summary>
public sealed class PermanentStepException(string message) : Exception(message);

public interface IStepExecutor
{
    StepKind Kind { get; }

    Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
