using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Directory;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Understanding;

/// <summary>
/// The deterministic classifier, built once at start-up: TF-IDF vectors over the workflows' example phrases and
/// the support categories' names, compared by cosine similarity (so scores are between 0 and 1), plus a bonus when
/// a workflow's keyword appears. Applications and durations are masked first (<see cref="SlotExtractor"/>), so an
/// example about GitHub also teaches requests about Jira. A request that says how long (a duration), or that it is
/// temporary, is for something time-bound: a workflow that would drop what was asked never outranks a time-bound one of
/// its category ("access to Figma for 7 days" is not permanent access; <see cref="PreferTimeBound"/>).
/// </summary>
public sealed class IntentClassifier
{
    private const double KeywordBonus = 0.2;
    private const double NoDurationPenalty = 0.2;
    private const double NoApplicationPenalty = 0.2;

    /// <summary>Words that make a request time-bound without saying how long (the workflow's default duration applies).</summary>
    private static readonly string[] TimeBoundWords = ["temporary", "temporarily", "temp"];
    private readonly SlotExtractor _slots;
    private readonly List<(Intent Intent, Dictionary<string, double> Vector)> _docs = [];
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);
    private readonly double _maxIdf;
    private readonly Dictionary<string, IReadOnlyList<string>> _keywords = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _excludes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keywordsRequired = new(StringComparer.Ordinal);

    /// <summary>
    /// The categories named in several words (<c>access-review</c>), by intent name: such a category is only a match for a
    /// request that names it whole. "I need Figma for 3 days for a design review" shares "review" with Security's access
    /// reviews, and was routed there over the time-bound access it asks for.
    /// </summary>
    private readonly Dictionary<string, string> _categoryPhrases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _timeBound = new(StringComparer.Ordinal);
    private readonly HashSet<string> _takesApplication = new(StringComparer.Ordinal);

    public IntentClassifier(WorkflowCatalog workflows, SupportTeams teams, SlotExtractor slots, IOptions<AutomationOptions> options)
    {
        _slots = slots;
        Settings = options.Value.Classifier;
        var raw = new List<(Intent Intent, List<string> Terms)>();
        foreach (var workflow in workflows.Definitions.OrderBy(w => w.Id, StringComparer.Ordinal))
        {
            var intent = new Intent(workflow.Id, workflow.Name, workflow.Team, workflow.Category, workflow.Id);
            Intents.Add(intent);
            _keywords[workflow.Id] = Phrases(workflow.Keywords);
            _excludes[workflow.Id] = Phrases(workflow.Excludes);
            if (workflow.KeywordsRequired)
            {
                _keywordsRequired.Add(workflow.Id);
            }

            if (workflow.Slots.ContainsKey("duration"))
            {
                _timeBound.Add(workflow.Id);
            }

            if (workflow.Slots.ContainsKey("application"))
            {
                _takesApplication.Add(workflow.Id);
            }

            raw.AddRange(workflow.Examples.Select(example => (intent, Subject(TextNormalizer.Terms(slots.Extract(example).Masked)))));
        }

        foreach (var team in teams.All)
        {
            foreach (var category in team.Categories.Where(c => c != "general"))
            {
                var intent = new Intent($"category:{team.Name}/{category}", $"{team.Name}: {category.Replace('-', ' ')}", team.Name, category, null);
                Intents.Add(intent);
                var terms = TextNormalizer.Terms(category.Replace('-', ' '));
                raw.Add((intent, terms));
                if (terms.Count > 1)
                {
                    _categoryPhrases[intent.Name] = string.Join(' ', terms);
                }
            }
        }

        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in raw.SelectMany(d => d.Terms.Distinct()))
        {
            documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        }

        foreach (var (term, df) in documentFrequency)
        {
            _idf[term] = Math.Log(1 + ((double)raw.Count / df));
        }

        _maxIdf = Math.Log(1 + raw.Count);
        _docs.AddRange(raw.Where(d => d.Terms.Count > 0).Select(d => (d.Intent, Vector(d.Terms))));
    }

    public List<Intent> Intents { get; } = [];

    public ClassifierSettings Settings { get; }

    public Intent? Find(string name) => Intents.FirstOrDefault(i => i.Name == name);

    public Understood Classify(string text)
    {
        var extracted = _slots.Extract(text);
        var terms = TextNormalizer.Terms(extracted.Masked);
        var query = Vector(terms, isQuery: true);
        var normalized = Spaced(terms);
        var best = new Dictionary<Intent, double>();
        if (query.Count > 0)
        {
            foreach (var (intent, doc) in _docs)
            {
                var score = Cosine(query, doc);
                if (score > best.GetValueOrDefault(intent))
                {
                    best[intent] = score;
                }
            }
        }

        foreach (var intent in best.Keys.ToList())
        {
            if (intent.Workflow is not { } workflow)
            {
                if (_categoryPhrases.TryGetValue(intent.Name, out var phrase) && !Names(normalized, [phrase]))
                {
                    best.Remove(intent);
                }

                continue;
            }

            if (RuledOut(workflow, normalized))
            {
                best.Remove(intent);
            }
            else if (Names(normalized, _keywords[workflow]))
            {
                best[intent] = Math.Min(1, best[intent] + KeywordBonus);
            }
        }

        if (AsksForTimeBound(extracted, normalized))
        {
            PreferTimeBound(best);
        }

        if (extracted.Slots.ContainsKey("application"))
        {
            // A request that names an application is about that application: a workflow that takes none acts on
            // something else ("I want a Datadog login" reset the directory password at once). It is scored down, so
            // that only a strong match runs it ("I forgot my Jira password" still does: with single sign-on that is
            // the directory password) and a weak one is asked about beside the application's workflows.
            foreach (var intent in best.Keys.Where(i => i.Workflow is { } w && !_takesApplication.Contains(w)).ToList())
            {
                best[intent] = Math.Max(0, best[intent] - NoApplicationPenalty);
            }
        }

        var ranked = best.Where(p => p.Value > 0).Select(p => new IntentScore(p.Key, Math.Round(p.Value, 4)))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Intent.Name, StringComparer.Ordinal).ToList();
        return new Understood(ranked, extracted.Slots, "classifier");
    }

    /// <summary>
    /// The request says how long, or that it is temporary: what it asks for is time-bound. Every workflow that takes no
    /// duration is scored down by <see cref="NoDurationPenalty"/>. Where such a workflow matched better than the
    /// time-bound ones of its own team and category ("request access to Workday for 2 days" is worded like an
    /// <c>app-access</c> example), the best of those time-bound ones takes its score: it is the same request with the
    /// duration kept, so granting lasting access is never chosen over it.
    /// </summary>
    private void PreferTimeBound(Dictionary<Intent, double> best)
    {
        var workflows = best.Keys.Where(i => i.Workflow is not null).ToList();
        foreach (var group in workflows.GroupBy(i => (i.Team, i.Category)))
        {
            var timeBound = group.Where(i => _timeBound.Contains(i.Workflow!)).MaxBy(i => best[i]);
            var lasting = group.Where(i => !_timeBound.Contains(i.Workflow!)).Select(i => best[i]).DefaultIfEmpty(0).Max();
            if (timeBound is not null && lasting > best[timeBound])
            {
                best[timeBound] = lasting;
            }
        }

        foreach (var intent in workflows.Where(i => !_timeBound.Contains(i.Workflow!)))
        {
            best[intent] = Math.Max(0, best[intent] - NoDurationPenalty);
        }
    }

    /// <summary>
    /// The time-bound workflow to use instead of <paramref name="lasting"/> when the request names a duration: of those in
    /// its team and category, the one <paramref name="local"/> ranks highest (the first by name when it ranks none). Null
    /// when <paramref name="lasting"/> is time-bound itself, or no such workflow exists.
    /// </summary>
    public Intent? TimeBoundInstead(Intent lasting, Understood local)
    {
        if (lasting.Workflow is not { } workflow || _timeBound.Contains(workflow))
        {
            return null;
        }

        bool Sibling(Intent i) => i.Workflow is { } w && _timeBound.Contains(w) && i.Team == lasting.Team && i.Category == lasting.Category;
        return local.Ranked.Select(s => s.Intent).FirstOrDefault(Sibling) ?? Intents.Where(Sibling).MinBy(i => i.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether <paramref name="text"/> asks for something time-bound: it names a length ("for 2 days"), an end ("until
    /// Friday") or says "temporary". The LLM path asks this too, so that neither path grants lasting access for it.
    /// </summary>
    public bool AsksForTimeBound(string text)
    {
        var extracted = _slots.Extract(text);
        return AsksForTimeBound(extracted, Spaced(TextNormalizer.Terms(extracted.Masked)));
    }

    private static bool AsksForTimeBound(ExtractedSlots extracted, string spacedTerms) =>
        extracted.Masked.Contains(SlotExtractor.DurationToken, StringComparison.Ordinal) || Names(spacedTerms, TimeBoundWords);

    /// <summary>
    /// Whether the intent's workflow is ruled out for <paramref name="text"/>, whoever proposes it: the request names one of
    /// its <c>excludes</c>, or the workflow has <c>keywords_required</c> and the request names none of its keywords.
    /// </summary>
    public bool Excluded(Intent intent, string text) =>
        intent.Workflow is { } workflow && RuledOut(workflow, Spaced(TextNormalizer.Terms(_slots.Extract(text).Masked)));

    private bool RuledOut(string workflow, string spacedTerms) =>
        Names(spacedTerms, _excludes[workflow]) || (_keywordsRequired.Contains(workflow) && !Names(spacedTerms, _keywords[workflow]));

    /// <summary>
    /// An example's terms without its describing words (<see cref="TextNormalizer.DescriptiveWords"/>): "how do I enroll my
    /// new phone" teaches enrolling phones, not "new", which "I need a new monitor" shares with it. In a request such a word
    /// stays, as a word no example has, so it counts against a match on the rest ("my new laptop is slow" is not onboarding's
    /// "I need a laptop").
    /// </summary>
    private static List<string> Subject(List<string> terms) => [.. terms.Where(t => !TextNormalizer.DescriptiveWords.Contains(t))];

    /// <summary>A request's terms space-joined with a space at each end, so that <see cref="Names"/> finds whole terms.</summary>
    private static string Spaced(IEnumerable<string> terms) => " " + string.Join(' ', terms) + " ";

    /// <summary>A workflow's keywords or excludes as the classifier's terms, space-joined (a phrase with no term left is dropped).</summary>
    private static List<string> Phrases(IEnumerable<string> words) =>
        [.. words.Select(k => string.Join(' ', TextNormalizer.Terms(k))).Where(k => k.Length > 0)];

    /// <summary>Whether the request's terms (space-joined, with a space at each end) contain one of the phrases as whole terms.</summary>
    private static bool Names(string normalized, IReadOnlyList<string> phrases) =>
        phrases.Any(k => normalized.Contains($" {k} ", StringComparison.Ordinal));

    /// <summary>Whether the top intent is sure enough to act on without asking: above the threshold and clear of the runner-up.</summary>
    public bool IsConfident(Understood understood) =>
        understood.Top is { } top
        && top.Score >= Settings.Threshold
        && (understood.Ranked.Count < 2 || top.Score - understood.Ranked[1].Score >= 0.05);

    /// <summary>A query's unknown words weigh as much as the rarest known ones, so an off-topic sentence does not look like a close match.</summary>
    private Dictionary<string, double> Vector(List<string> terms, bool isQuery = false)
    {
        var vector = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
        {
            if (_idf.TryGetValue(group.Key, out var idf) || (isQuery && (idf = _maxIdf) > 0))
            {
                vector[group.Key] = (1 + Math.Log(group.Count())) * idf;
            }
        }

        var norm = Math.Sqrt(vector.Values.Sum(v => v * v));
        foreach (var key in vector.Keys.ToList())
        {
            vector[key] /= norm;
        }

        return vector;
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var sum = 0.0;
        foreach (var (term, weight) in small)
        {
            if (large.TryGetValue(term, out var other))
            {
                sum += weight * other;
            }
        }

        return sum;
    }
}
