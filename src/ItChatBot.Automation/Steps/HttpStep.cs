using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Workflows;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Steps;

/// <summary>
/// <c>http</c>: calls a configured endpoint with a templated body. The step key goes out as <c>Idempotency-Key</c>
/// so a receiver can recognise a retry; top-level text and number fields of a JSON answer become outputs.
/// </summary>
public sealed class HttpStep(IHttpClientFactory clients, IOptions<AutomationOptions> options, TimeProvider clock) : IStepExecutor
{
    public const string ClientName = "automation-http";

    public StepKind Kind => StepKind.Http;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var name = context.Expand("endpoint");
        if (!options.Value.Endpoints.TryGetValue(name, out var endpoint) || string.IsNullOrWhiteSpace(endpoint.BaseUrl))
        {
            throw new PermanentStepException($"No endpoint '{name}' is configured (Automation:Endpoints:{name}:BaseUrl).");
        }

        // Values go into the path escaped: an e-mail, a name or an earlier answer's id holding "/", ".." or "?" must not move the
        // call to another resource of the endpoint.
        var path = context.Step.Get("path") is { } pathTemplate
            ? Template.Expand(pathTemplate, context.Values, Uri.EscapeDataString)
            : throw new TemplateException("The step has no 'path'.");
        var url = new Uri(new Uri(endpoint.BaseUrl.TrimEnd('/') + "/"), path.TrimStart('/'));
        using var request = new HttpRequestMessage(new HttpMethod(context.Step.Get("method") ?? "POST"), url);
        request.Headers.Add("Idempotency-Key", context.IdempotencyKey);
        if (endpoint.ApiKey is { Length: > 0 } key)
        {
            if (endpoint.ApiKeyHeader.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                request.Headers.Add(endpoint.ApiKeyHeader, key);
            }
        }

        if (context.ExpandOptional("body", json: true) is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8, context.Step.Get("content_type") ?? "application/json");
        }

        // The endpoint's own time limit, on the service clock: a service that never answers fails this attempt (and is retried)
        // rather than holding the run, and the resumer's pass behind it, for HttpClient's 100 seconds.
        var client = clients.CreateClient(ClientName);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var limit = new CancellationTokenSource(endpoint.Timeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await client.SendAsync(request, linked.Token);
            text = await response.Content.ReadAsStringAsync(linked.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{request.Method} {url.AbsolutePath} did not answer within {endpoint.Timeout.TotalSeconds:0.#} s.");
        }

        using var answered = response;
        if (!response.IsSuccessStatusCode)
        {
            throw await RemoteCallException.FromAsync(response, $"{request.Method} {url.AbsolutePath}", cancellationToken, [endpoint.ApiKey]);
        }

        var outputs = new Dictionary<string, string> { ["status"] = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // Some services answer JSON without saying so; an object body is read as JSON whatever its content type.
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in doc.RootElement.EnumerateObject())
                    {
                        if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                        {
                            // Outputs are stored in the step's completion event and can reach cards: never the endpoint's key.
                            outputs[property.Name] = RemoteCallException.Redact(property.Value.ToString(), [endpoint.ApiKey]);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // A body that claims JSON but is not: the call still succeeded, it simply has no outputs.
            }
        }

        return new StepResult { Outputs = outputs };
    }
}
