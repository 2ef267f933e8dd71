using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// The workflow definitions loaded at start-up, and the problems found in the files that were skipped. A workflow whose
/// <c>http</c> step names an endpoint that is not configured is loaded but off (<see cref="Unavailable"/>): every run
/// of it would fail at that step, so none is started or offered, and its requests go to the people of its team and
/// category. On the embedded default that is the software install, whose endpoint is a deployment's own service.
/// </summary>
public sealed partial class WorkflowCatalog
{
    private readonly Dictionary<string, WorkflowDefinition> _loaded;
    private readonly Dictionary<string, WorkflowDefinition> _available;

    /// <param name="configuredEndpoints">The names of the endpoints with a base URL (<c>Automation:Endpoints:NAME:BaseUrl</c>).</param>
    public WorkflowCatalog(WorkflowLoadResult loaded, IReadOnlySet<string> configuredEndpoints, ILogger<WorkflowCatalog> logger)
    {
        _loaded = loaded.Definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        Errors = loaded.Errors;
        foreach (var error in loaded.Errors)
        {
            Log.InvalidWorkflow(logger, error.File, error.Line, error.Message);
        }

        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var definition in _loaded.Values.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            if (MissingEndpoint(definition, configuredEndpoints) is { } endpoint)
            {
                unavailable[definition.Id] = $"endpoint '{endpoint}' is not configured (Automation:Endpoints:{endpoint}:BaseUrl)";
                Log.Unavailable(logger, definition.Id, unavailable[definition.Id]);
            }
        }

        Unavailable = unavailable;
        _available = _loaded.Values.Where(d => !unavailable.ContainsKey(d.Id)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        Log.Loaded(logger, _loaded.Count, loaded.Errors.Select(e => e.File).Distinct().Count(), unavailable.Count);
    }

    /// <summary>The workflows that can run here: those the bot offers and starts.</summary>
    public IReadOnlyCollection<WorkflowDefinition> All => _available.Values;

    /// <summary>
    /// Every loaded workflow, also those that are off: the classifier learns from them all, so that turning one off does
    /// not move the others' scores, and a request for one that is off is still recognised (and goes to its team and
    /// category's people).
    /// </summary>
    public IReadOnlyCollection<WorkflowDefinition> Definitions => _loaded.Values;

    /// <summary>The workflows loaded but off, by id, with why.</summary>
    public IReadOnlyDictionary<string, string> Unavailable { get; }

    public IReadOnlyList<WorkflowLoadError> Errors { get; }

    /// <summary>A workflow that can run here, to start a run of.</summary>
    public WorkflowDefinition? Find(string id) => _available.GetValueOrDefault(id);

    /// <summary>
    /// Any loaded workflow, also one that is off: a run started before its endpoint's setting was removed still resumes,
    /// and its approvals are still decided, and it fails at the step as it would have.
    /// </summary>
    public WorkflowDefinition? Loaded(string id) => _loaded.GetValueOrDefault(id);

    /// <summary>The workflow started by <paramref name="intent"/> (an intent name or a workflow id).</summary>
    public WorkflowDefinition? ForIntent(string intent) =>
        Find(intent) ?? _available.Values.FirstOrDefault(d => d.Intents.Contains(intent, StringComparer.Ordinal));

    /// <summary>The first endpoint an <c>http</c> step names that has no base URL; a name built from a template is not checked.</summary>
    private static string? MissingEndpoint(WorkflowDefinition definition, IReadOnlySet<string> configured) =>
        definition.Steps
            .Where(s => s.Kind == StepKind.Http)
            .Select(s => s.Get("endpoint"))
            .FirstOrDefault(name => name is { Length: > 0 } && !name.Contains("{{", StringComparison.Ordinal) && !configured.Contains(name));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Workflow file {File} line {Line}: {Problem} (the file is skipped)")]
        public static partial void InvalidWorkflow(ILogger logger, string file, int line, string problem);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Loaded {Count} workflows; {Skipped} files skipped; {Off} off for want of settings")]
        public static partial void Loaded(ILogger logger, int count, int skipped, int off);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Workflow {Workflow} is off: {Reason}. Its requests go to people until it is configured.")]
        public static partial void Unavailable(ILogger logger, string workflow, string reason);
    }
}
