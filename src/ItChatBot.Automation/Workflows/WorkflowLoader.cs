using System.Globalization;
using System.Text.RegularExpressions;
using ItChatBot.Core.Approvals;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Tickets;
using ItChatBot.Core.Workflows;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Reads and validates workflow YAML files. Every problem is reported with its file and line; a file with any
/// problem is skipped as a whole so that half a workflow never runs, and the other files still load.
/// </summary>
public sealed partial class WorkflowLoader(SupportTeams teams)
{
    private static readonly HashSet<string> TopKeys = ["id", "name", "team", "category", "priority", "intents", "examples", "keywords", "keywords_required", "excludes", "device_application", "slots", "steps"];
    private static readonly HashSet<string> KnownSlots = ["application", "duration", "device"];
    private static readonly HashSet<string> TemplateRoots = ["slots", "requester", "ticket", "run", "steps", "application", "workflow"];

    private static readonly Dictionary<StepKind, (string[] Required, string[] Optional)> StepFields = new()
    {
        [StepKind.Approval] = ([], ["approvers", "summary"]),
        [StepKind.Directory] = (["action"], ["group", "resource", "role"]),
        [StepKind.GrantAccess] = (["resource", "role", "group"], ["duration", "default_duration", "max_duration"]),
        [StepKind.Http] = (["endpoint", "path"], ["method", "body", "content_type"]),
        [StepKind.Message] = (["text"], ["title"]),
        [StepKind.Resolve] = ([], ["note", "text"]),
    };

    public WorkflowLoadResult LoadFolder(string folder)
    {
        var definitions = new List<WorkflowDefinition>();
        var errors = new List<WorkflowLoadError>();
        if (!Directory.Exists(folder))
        {
            errors.Add(new WorkflowLoadError(folder, 0, "The workflows folder does not exist."));
            return new WorkflowLoadResult(definitions, errors);
        }

        var files = Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml")).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var (definition, problems) = Parse(File.ReadAllText(file), Path.GetFileName(file));
            if (definition is not null && definitions.FirstOrDefault(d => d.Id == definition.Id) is { } twin)
            {
                problems = [.. problems, new WorkflowLoadError(Path.GetFileName(file), 1, $"id '{definition.Id}' is already used by {twin.SourceFile}.")];
            }

            errors.AddRange(problems);
            if (definition is not null && problems.Count == 0)
            {
                definitions.Add(definition);
            }
        }

        return new WorkflowLoadResult(definitions, errors);
    }

    /// <summary>Parses one file's text. The definition is null when the file could not be read as a workflow at all.</summary>
    public (WorkflowDefinition? Definition, IReadOnlyList<WorkflowLoadError> Errors) Parse(string yaml, string file)
    {
        var errors = new List<WorkflowLoadError>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return (null, [new WorkflowLoadError(file, 1, "A workflow file must be a mapping with id, team, category, examples and steps.")]);
            }

            root = mapping;
        }
        catch (YamlException ex)
        {
            return (null, [new WorkflowLoadError(file, (int)ex.Start.Line, $"Not valid YAML: {ex.InnerException?.Message ?? ex.Message}")]);
        }

        void Error(YamlNode? node, string message) => errors.Add(new WorkflowLoadError(file, node is null ? (int)root.Start.Line : (int)node.Start.Line, message));

        foreach (var (key, _) in root.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && !TopKeys.Contains(name))
            {
                Error(key, $"Unknown field '{name}'; the fields are {string.Join(", ", TopKeys)}.");
            }
        }

        var id = Scalar(root, "id", Error, required: true);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            Error(Node(root, "id"), $"id '{id}' must be lower-case letters, digits and dashes.");
        }

        var teamName = Scalar(root, "team", Error, required: true);
        var team = teamName is null ? null : teams.Find(teamName);
        if (teamName is not null && team is null)
        {
            Error(Node(root, "team"), $"team '{teamName}' is not a support team; the teams are {string.Join(", ", teams.All.Select(t => t.Name))}.");
        }

        var category = Scalar(root, "category", Error, required: true);
        if (team is not null && category is not null && team.Categories.Count > 0 && !team.Categories.Contains(category, StringComparer.OrdinalIgnoreCase))
        {
            Error(Node(root, "category"), $"category '{category}' is not one of {team.Name}'s: {string.Join(", ", team.Categories)}.");
        }

        var priority = Scalar(root, "priority", Error) ?? "P3";
        if (!Priority.IsValid(priority))
        {
            Error(Node(root, "priority"), $"priority '{priority}' is not P1, P2, P3 or P4.");
        }

        var examples = List(root, "examples", Error);
        if (examples.Count == 0)
        {
            Error(Node(root, "examples") ?? root, "examples needs at least one phrase, so the classifier can recognise requests for this workflow.");
        }

        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Node(root, "slots") is { } slotsNode)
        {
            if (slotsNode is not YamlMappingNode slotMap)
            {
                Error(slotsNode, "slots must be a mapping of slot name to required or optional.");
            }
            else
            {
                foreach (var (k, v) in slotMap.Children)
                {
                    var slot = (k as YamlScalarNode)?.Value ?? "";
                    var how = (v as YamlScalarNode)?.Value ?? "";
                    if (!KnownSlots.Contains(slot))
                    {
                        Error(k, $"slot '{slot}' is unknown; the slots are {string.Join(", ", KnownSlots)}.");
                    }
                    else if (how is not ("required" or "optional"))
                    {
                        Error(v, $"slot '{slot}' must be required or optional, not '{how}'.");
                    }
                    else
                    {
                        slots[slot] = how;
                    }
                }
            }
        }

        var keywords = List(root, "keywords", Error);
        var keywordsRequired = Scalar(root, "keywords_required", Error) switch
        {
            null or "false" => false,
            "true" => true,
            var other => Flag(other),
        };
        bool Flag(string other)
        {
            Error(Node(root, "keywords_required"), $"keywords_required must be true or false, not '{other}'.");
            return false;
        }

        if (keywordsRequired && keywords.Count == 0)
        {
            Error(Node(root, "keywords_required"), "keywords_required is true but there are no keywords: no request could choose this workflow.");
        }

        var deviceApplication = Scalar(root, "device_application", Error);
        if (deviceApplication is not null && !slots.ContainsKey("application"))
        {
            Error(Node(root, "device_application"), "device_application names the application a request for the person's computer means, but the workflow has no application slot.");
        }

        var steps = ParseSteps(root, slots, Error);
        if (id is null || teamName is null || category is null)
        {
            return (null, errors);
        }

        var definition = new WorkflowDefinition
        {
            Id = id,
            Name = Scalar(root, "name", Error) ?? id,
            Team = team?.Name ?? teamName,
            Category = category,
            Priority = priority,
            Intents = List(root, "intents", Error) is { Count: > 0 } intents ? intents : [id],
            Examples = examples,
            Keywords = keywords,
            KeywordsRequired = keywordsRequired,
            Excludes = List(root, "excludes", Error),
            DeviceApplication = deviceApplication,
            Slots = slots,
            Steps = steps,
            SourceFile = file,
        };
        return (definition, errors);
    }

    private static List<WorkflowStep> ParseSteps(YamlMappingNode root, Dictionary<string, string> slots, Action<YamlNode?, string> error)
    {
        var steps = new List<WorkflowStep>();
        var node = Node(root, "steps");
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            error(node ?? root, "steps needs at least one step (a sequence of mappings with a kind).");
            return steps;
        }

        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in sequence.Children)
        {
            if (item is not YamlMappingNode map)
            {
                error(item, "A step must be a mapping with a kind.");
                continue;
            }

            var kindText = Scalar(map, "kind", error, required: true);
            if (kindText is null)
            {
                continue;
            }

            if (!StepKinds.ByYamlName.TryGetValue(kindText, out var kind))
            {
                error(Node(map, "kind"), $"kind '{kindText}' is unknown; the kinds are {string.Join(", ", StepKinds.ByYamlName.Keys)}.");
                continue;
            }

            var index = steps.Count;
            var stepId = Scalar(map, "id", error) ?? $"step-{index}";
            if (!seenIds.Add(stepId))
            {
                error(Node(map, "id"), $"step id '{stepId}' is used twice.");
            }

            var (required, optional) = StepFields[kind];
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            var retries = 2;
            foreach (var (k, v) in map.Children)
            {
                var field = (k as YamlScalarNode)?.Value ?? "";
                if (field is "kind" or "id")
                {
                    continue;
                }

                if (field == "retries")
                {
                    if (!int.TryParse((v as YamlScalarNode)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out retries) || retries > 10)
                    {
                        error(v, "retries must be a whole number from 0 to 10.");
                    }

                    continue;
                }

                if (!required.Contains(field) && !optional.Contains(field))
                {
                    error(k, $"A {kindText} step has no field '{field}'; its fields are {string.Join(", ", required.Concat(optional).Append("id").Append("retries"))}.");
                    continue;
                }

                if (v is not YamlScalarNode { Value: { } value })
                {
                    error(v, $"{field} must be text (use a block scalar | for several lines).");
                    continue;
                }

                CheckTemplate(value, v, slots, seenIds, error);
                settings[field] = value;
            }

            foreach (var field in required.Where(f => !settings.ContainsKey(f)))
            {
                error(map, $"A {kindText} step needs '{field}'.");
            }

            CheckKind(kind, settings, map, error);
            if (kind == StepKind.Resolve && item != sequence.Children[^1])
            {
                error(map, "A resolve step must be the last step: the run completes with it.");
            }

            steps.Add(new WorkflowStep { Index = index, Id = stepId, Kind = kind, Line = (int)map.Start.Line, Retries = retries, Settings = settings });
        }

        return steps;
    }

    private static void CheckKind(StepKind kind, Dictionary<string, string> settings, YamlMappingNode map, Action<YamlNode?, string> error)
    {
        switch (kind)
        {
            case StepKind.Approval when ApproverSpec.TryParse(settings.GetValueOrDefault("approvers"), out var problem) is null:
                error(Node(map, "approvers"), problem!);
                break;
            case StepKind.Directory:
                var action = settings.GetValueOrDefault("action");
                if (action is not (null or "reset_password" or "add_group" or "remove_group"))
                {
                    error(Node(map, "action"), $"action '{action}' is unknown; use reset_password, add_group or remove_group.");
                }
                else if (action is "add_group" or "remove_group" && !settings.ContainsKey("group"))
                {
                    error(map, $"A directory step with action {action} needs 'group'.");
                }

                break;
            case StepKind.GrantAccess:
                foreach (var field in new[] { "default_duration", "max_duration" })
                {
                    if (settings.TryGetValue(field, out var text) && !DurationText.TryParse(text, out _))
                    {
                        error(Node(map, field), $"{field} '{text}' is not a duration; write e.g. 4h, 2d or 1w.");
                    }
                }

                break;
            case StepKind.Http:
                var method = settings.GetValueOrDefault("method") ?? "POST";
                if (method is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE"))
                {
                    error(Node(map, "method"), $"method '{method}' must be GET, POST, PUT, PATCH or DELETE.");
                }

                if (settings.GetValueOrDefault("path") is { } path && (path.Contains("://", StringComparison.Ordinal) || !path.StartsWith('/')))
                {
                    error(Node(map, "path"), $"path '{path}' must start with / and is relative to the endpoint's configured base URL.");
                }

                break;
        }
    }

    private static void CheckTemplate(string value, YamlNode node, Dictionary<string, string> slots, HashSet<string> earlierSteps, Action<YamlNode?, string> error)
    {
        foreach (Match match in Template.Placeholder().Matches(value))
        {
            var parts = match.Groups[1].Value.Split('.');
            if (!TemplateRoots.Contains(parts[0]))
            {
                error(node, $"{{{{{match.Groups[1].Value}}}}} is unknown; a placeholder starts with {string.Join(", ", TemplateRoots)}.");
            }
            else if (parts[0] is "slots" && (parts.Length != 2 || !slots.ContainsKey(parts[1])))
            {
                error(node, $"{{{{{match.Groups[1].Value}}}}} names a slot this workflow does not declare under slots.");
            }
            else if (parts[0] is "steps" && (parts.Length != 3 || !earlierSteps.Contains(parts[1])))
            {
                error(node, $"{{{{{match.Groups[1].Value}}}}} must name an earlier step's output as steps.STEP_ID.KEY.");
            }
            else if (parts[0] is "application" && !slots.ContainsKey("application"))
            {
                error(node, $"{{{{{match.Groups[1].Value}}}}} needs the application slot to be declared.");
            }
        }
    }

    private static YamlNode? Node(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode map, string key, Action<YamlNode?, string> error, bool required = false)
    {
        var node = Node(map, key);
        if (node is null)
        {
            if (required)
            {
                error(map, $"'{key}' is missing.");
            }

            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value.Trim();
        }

        error(node, $"'{key}' must be a single value.");
        return null;
    }

    private static List<string> List(YamlMappingNode map, string key, Action<YamlNode?, string> error)
    {
        var node = Node(map, key);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            error(node, $"'{key}' must be a list.");
            return [];
        }

        var values = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value })
            {
                values.Add(value.Trim());
            }
            else
            {
                error(item, $"Each entry of '{key}' must be text.");
            }
        }

        return values;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();
}

public sealed record WorkflowLoadResult(IReadOnlyList<WorkflowDefinition> Definitions, IReadOnlyList<WorkflowLoadError> Errors);
