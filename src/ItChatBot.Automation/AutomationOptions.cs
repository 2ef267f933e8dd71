namespace ItChatBot.Automation;

/// <summary>The <c>Automation</c> settings section; every key is listed in docs/automation.md.</summary>
public sealed class AutomationOptions
{
    /// <summary>Folder of workflow YAML files; relative paths are taken from the working folder, then from the folders above the app.</summary>
    public string WorkflowsPath { get; set; } = "workflows";

    /// <summary>Folder of markdown knowledge-base articles.</summary>
    public string KnowledgePath { get; set; } = "knowledge";

    public DirectorySettings Directory { get; set; } = new();

    public GraphSettings Graph { get; set; } = new();

    public OktaSettings Okta { get; set; } = new();

    public LlmSettings Llm { get; set; } = new();

    public ClassifierSettings Classifier { get; set; } = new();

    public KnowledgeSettings Knowledge { get; set; } = new();

    /// <summary>Named endpoints for <c>http</c> steps (<c>endpoint: software</c>).</summary>
    public Dictionary<string, HttpEndpointSettings> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>First retry delay of a failed step; doubles with each attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the run resumer looks for runs that are due (retries, decided approvals).</summary>
    public TimeSpan ResumeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the revocation service looks for expired grants.</summary>
    public TimeSpan RevocationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A grant still active this long after its expiry counts as overdue.</summary>
    public TimeSpan RevocationGrace { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class DirectorySettings
{
    /// <summary><c>embedded</c> (default), <c>graph</c> or <c>okta</c>.</summary>
    public string Provider { get; set; } = "embedded";
}

public sealed class GraphSettings
{
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/";

    /// <summary>A fixed bearer token; otherwise the client-credentials settings below fetch one.</summary>
    public string? AccessToken { get; set; }

    public string? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string Scope { get; set; } = "https://graph.microsoft.com/.default";
}

public sealed class OktaSettings
{
    /// <summary>The org URL, e.g. <c>https://example.okta.com/</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An API token, sent as <c>Authorization: SSWS token</c>.</summary>
    public string? ApiToken { get; set; }
}

public sealed class LlmSettings
{
    /// <summary>Off by default; when on, the deterministic classifier is still the fallback on any error or timeout.</summary>
    public bool Enabled { get; set; }

    /// <summary>Base URL of an OpenAI-compatible API; <c>chat/completions</c> is appended (Ollama: <c>http://localhost:11434/v1/</c>).</summary>
    public string? Endpoint { get; set; }

    public string Model { get; set; } = "gpt-4o-mini";

    public string? ApiKey { get; set; }

    /// <summary><c>Authorization</c> (sent as Bearer) or <c>api-key</c> (Azure OpenAI).</summary>
    public string ApiKeyHeader { get; set; } = "Authorization";

    /// <summary>Query string appended to the URL, e.g. <c>api-version=2024-06-01</c> for Azure OpenAI.</summary>
    public string? Query { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class ClassifierSettings
{
    /// <summary>Confidence at or above which a request starts its workflow without asking.</summary>
    public double Threshold { get; set; } = 0.45;

    /// <summary>Confidence below which the bot does not ask back and keyword triage opens the ticket.</summary>
    public double AskThreshold { get; set; } = 0.3;
}

public sealed class KnowledgeSettings
{
    /// <summary>
    /// Share of the question's terms an article must contain to be offered, each term weighted by how few articles have it
    /// (a term no article has weighs most).
    /// </summary>
    public double MinCoverage { get; set; } = 0.5;

    /// <summary>Lowest BM25 score of an article to be offered.</summary>
    public double MinScore { get; set; } = 2.0;
}

public sealed class HttpEndpointSettings
{
    public string BaseUrl { get; set; } = "";

    public string? ApiKey { get; set; }

    /// <summary>Header that carries <see cref="ApiKey"/>; <c>Authorization</c> sends it as Bearer.</summary>
    public string ApiKeyHeader { get; set; } = "Authorization";

    /// <summary>How long a call may take before the attempt fails (and is retried like any failure).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
