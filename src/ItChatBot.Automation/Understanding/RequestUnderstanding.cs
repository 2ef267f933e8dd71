using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Workflows;

namespace ItChatBot.Automation.Understanding;

/// <summary>
/// Understands a request: the LLM provider when it is switched on and answers well, otherwise the deterministic
/// classifier. Slots the LLM names are checked against the catalog and duration format; the classifier's slot
/// extraction fills what it left out.
/// </summary>
public sealed class RequestUnderstanding(IntentClassifier classifier, LlmClassifier llm, IApplicationCatalog applications)
{
    public IntentClassifier Classifier => classifier;

    public async Task<Understood> UnderstandAsync(string text, CancellationToken cancellationToken = default)
    {
        var local = classifier.Classify(text);
        if (!llm.IsEnabled || await llm.ClassifyAsync(text, classifier.Intents, cancellationToken) is not { } remote
            || classifier.Excluded(remote.Top!.Intent, text))
        {
            // (A workflow whose excludes the request names is not chosen, whoever proposes it: "reset my MFA" is no password reset.)
            return local;
        }

        var slots = new Dictionary<string, string>(local.Slots, StringComparer.Ordinal);
        foreach (var (name, value) in remote.Slots)
        {
            if (name == "application" && applications.Find(value) is { } app)
            {
                slots[name] = app.Id;
            }
            else if (name == "duration" && DurationText.TryParse(value, out var span))
            {
                slots[name] = DurationText.Format(span);
            }
            else if (name == "device")
            {
                slots[name] = value.ToLowerInvariant();
            }
        }

        // A model may pick lasting access for a request that says how long, until when, or that it is temporary; the
        // length would be dropped. The same request with it kept is the time-bound workflow of that category, as the
        // classifier decides too.
        var top = remote.Top!;
        if ((slots.ContainsKey("duration") || classifier.AsksForTimeBound(text)) && classifier.TimeBoundInstead(top.Intent, local) is { } timeBound)
        {
            top = new IntentScore(timeBound, top.Score);
        }

        // Keep the classifier's runners-up behind the LLM's choice, for the ask-back buttons.
        // (The model answers one intent; a lasting one it chose and that was replaced keeps only the classifier's score.)
        var ranked = local.Ranked.Where(s => s.Intent != top.Intent).Prepend(top).ToList();
        return new Understood(ranked, slots, "llm");
    }

    public bool IsConfident(Understood understood) => classifier.IsConfident(understood);
}
