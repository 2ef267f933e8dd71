using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Automation.Workflows;

/// <summary>The workflow definitions loaded at start-up, and the problems found in the files that were skipped.</summary>
public sealed partial class WorkflowCatalog
{
    private readonly Dictionary<string, WorkflowDefinition> _byId;

    public WorkflowCatalog(WorkflowLoadResult loaded, ILogger<WorkflowCatalog> logger)
    {
        _byId = loaded.Definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        Errors = loaded.Errors;
        foreach (var error in loaded.Errors)
        {
            Log.InvalidWorkflow(logger, error.File, error.Line, error.Message);
        }

        Log.Loaded(logger, _byId.Count, loaded.Errors.Select(e => e.File).Distinct().Count());
    }

    public IReadOnlyCollection<WorkflowDefinition> All => _byId.Values;

    public IReadOnlyList<WorkflowLoadError> Errors { get; }

    public WorkflowDefinition? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The workflow started by <paramref name="intent"/> (an intent name or a workflow id).</summary>
    public WorkflowDefinition? ForIntent(string intent) =>
        Find(intent) ?? _byId.Values.FirstOrDefault(d => d.Intents.Contains(intent, StringComparer.Ordinal));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Workflow file {File} line {Line}: {Problem} (the file is skipped)")]
        public static partial void InvalidWorkflow(ILogger logger, string file, int line, string problem);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Loaded {Count} workflows; {Skipped} files skipped")]
        public static partial void Loaded(ILogger logger, int count, int skipped);
    }
}
