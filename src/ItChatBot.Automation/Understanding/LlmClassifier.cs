using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Understanding;

/// <summary>
/// Classifies with an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Ollama, vLLM). It is only
/// asked for a JSON answer naming one of the known intents; anything else (an error, a timeout, an unknown intent,
/// malformed JSON) returns null and the deterministic classifier answers instead.
/// </summary>
public sealed class LlmClassifier(IHttpClientFactory clients, IOptions<AutomationOptions> options)
{
    public const string ClientName = "automation-llm";

    public bool IsEnabled => options.Value.Llm is { Enabled: true, Endpoint.Length: > 0 };

    public async Task<Understood?> ClassifyAsync(string text, IReadOnlyList<Intent> intents, CancellationToken cancellationToken)
    {
        var settings = options.Value.Llm;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url(settings));
            if (settings.ApiKey is { Length: > 0 } key)
            {
                if (settings.ApiKeyHeader.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }
                else
                {
                    request.Headers.Add(settings.ApiKeyHeader, key);
                }
            }

            request.Content = JsonContent.Create(Body(settings.Model, text, intents));
            using var response = await clients.CreateClient(ClientName).SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var completion = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token);
            // No choices at all (a filtered or truncated answer) is an answer without content, not an error of ours.
            var content = completion?["choices"] is JsonArray { Count: > 0 } choices ? choices[0]?["message"]?["content"]?.GetValue<string>() : null;
            return content is null ? null : Parse(content, intents);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException or FormatException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return null;
        }
    }

    private static Uri Url(LlmSettings settings)
    {
        var url = settings.Endpoint!.TrimEnd('/') + "/chat/completions";
        return new Uri(settings.Query is { Length: > 0 } query ? $"{url}?{query.TrimStart('?')}" : url);
    }

    private static JsonObject Body(string model, string text, IReadOnlyList<Intent> intents)
    {
        var catalog = string.Join('\n', intents.Select(i => $"- {i.Name}: {i.Label}"));
        var system = "You route IT, security, HR and finance requests. Answer only with a JSON object "
            + "{\"intent\": NAME, \"confidence\": 0..1, \"slots\": {\"application\": ..., \"duration\": e.g. \"2d\" or \"4h\", \"device\": ...}} "
            + "where NAME is one of these intents, or \"none\" when none fits; leave out slots that are not mentioned.\n" + catalog;
        return new JsonObject
        {
            ["model"] = model,
            ["temperature"] = 0,
            ["response_format"] = new JsonObject { ["type"] = "json_object" },
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "system", ["content"] = system },
                new JsonObject { ["role"] = "user", ["content"] = text },
            },
        };
    }

    private static Understood? Parse(string content, IReadOnlyList<Intent> intents)
    {
        using var doc = JsonDocument.Parse(content);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("intent", out var named) || named.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var name = named.GetString();
        var intent = intents.FirstOrDefault(i => i.Name == name);
        if (intent is null)
        {
            return null;
        }

        var confidence = root.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? Math.Clamp(c.GetDouble(), 0, 1) : 0.5;
        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("slots", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            foreach (var slot in s.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: > 0 }))
            {
                slots[slot.Name] = slot.Value.GetString()!;
            }
        }

        return new Understood([new IntentScore(intent, confidence)], slots, "llm");
    }
}
