using ItChatBot.Automation.Understanding;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using ItChatBot.Core.Directory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ItChatBot.Automation.Knowledge;

/// <summary>
/// The knowledge base: markdown articles in a folder, indexed with Lucene.Net (English analyzer, BM25) in memory,
/// and rebuilt when a file changes. A search answers the best articles with their BM25 score and the share of the
/// question's terms each contains; <see cref="IsStrong"/> decides whether one is worth offering before a ticket.
/// </summary>
public sealed partial class KnowledgeBase : IDisposable
{
    /// <summary>
    /// The distinct terms of a question that are searched for. Each term is three clauses (title, body, keywords) and Lucene
    /// refuses a query of more than 1,024 (<see cref="BooleanQuery.MaxClauseCount"/>): a pasted log or stack trace would fail the
    /// whole request. A question this long is no knowledge-base question anyway, and its first terms still count.
    /// </summary>
    internal const int MaxQueryTerms = 100;

    private readonly ILogger<KnowledgeBase> _logger;
    private readonly KnowledgeSettings _settings;
    private readonly SupportTeams? _teams;
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer? _debounce;
    private volatile Snapshot _snapshot;

    public KnowledgeBase(IOptions<AutomationOptions> options, TimeProvider clock, ILogger<KnowledgeBase> logger, SupportTeams teams)
        : this(ContentPaths.Resolve(options.Value.KnowledgePath), options.Value.Knowledge, clock, logger, watch: true, teams)
    {
    }

    /// <param name="teams">The configured teams, which an article's <c>team:</c> and <c>category:</c> are matched to.</param>
    public KnowledgeBase(string folder, KnowledgeSettings settings, TimeProvider clock, ILogger<KnowledgeBase> logger, bool watch, SupportTeams? teams = null)
    {
        Folder = folder;
        _settings = settings;
        _logger = logger;
        _teams = teams;
        _snapshot = Build(LoadFolder(folder, teams, logger));
        if (watch && System.IO.Directory.Exists(folder))
        {
            // Editors write a file in several steps; wait for a quiet half second before rebuilding.
            _debounce = clock.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _watcher = new FileSystemWatcher(folder, "*.md") { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            _watcher.Changed += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
            _watcher.Created += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
            _watcher.Deleted += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
            _watcher.Renamed += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan);
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>For an index built from articles in memory (benchmarks, tests).</summary>
    public KnowledgeBase(IEnumerable<KnowledgeArticle> articles, KnowledgeSettings settings, ILogger<KnowledgeBase> logger)
    {
        Folder = "";
        _settings = settings;
        _logger = logger;
        _snapshot = Build([.. articles]);
    }

    public string Folder { get; }

    public int Count => _snapshot.Articles.Count;

    /// <summary>Raised after each rebuild, with the number of articles.</summary>
    public event Action<int>? Reloaded;

    public KnowledgeArticle? Find(string path) => _snapshot.Articles.FirstOrDefault(a => a.Path == path);

    public IReadOnlyList<KnowledgeHit> Search(string question, int count = 3)
    {
        var snapshot = _snapshot;
        var terms = Analyze(snapshot.Analyzer, question).Distinct(StringComparer.Ordinal).Take(MaxQueryTerms).ToList();
        if (terms.Count == 0 || snapshot.Articles.Count == 0)
        {
            return [];
        }

        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            query.Add(new TermQuery(new Term("title", term)) { Boost = 2f }, Occur.SHOULD);
            query.Add(new TermQuery(new Term("body", term)), Occur.SHOULD);
            query.Add(new TermQuery(new Term("keywords", term)) { Boost = 2f }, Occur.SHOULD);
        }

        // A collector that takes documents in order: Lucene then scores the clauses document by document instead of
        // with its bulk scorer, which allocates a table of 2,048 buckets for every search: about half of what a search
        // allocated under the Slack events load (benchmarks/README.md, Slack section). The hits are the same.
        var collector = TopScoreDocCollector.Create(count, docsScoredInOrder: true);
        snapshot.Searcher.Search(query, collector);
        var top = collector.GetTopDocs();

        // Each term weighs what it tells apart (BM25's idf over the articles): "laptop", in several articles, says little
        // about which one is meant; "cracked", in none, says the question is about something no article covers.
        var weights = terms.ToDictionary(t => t, t => snapshot.Weight(t), StringComparer.Ordinal);
        var total = weights.Values.Sum();
        return [.. top.ScoreDocs.Select(hit =>
        {
            var article = snapshot.Articles[int.Parse(snapshot.Searcher.Doc(hit.Doc).Get("n"), System.Globalization.CultureInfo.InvariantCulture)];
            var held = snapshot.Terms[article.Path];
            var coverage = terms.Where(held.Contains).Sum(weights.GetValueOrDefault) / total;
            // On the subject: some of the question's terms are what the article is about, and they weigh more than the
            // terms that are what another article is about and this one never uses ("my Outlook keeps asking for my
            // password" is about Outlook; the Wi-Fi article's "guest password" is the weaker clue).
            var subject = terms.Where(snapshot.Subjects[article.Path].Contains).Sum(t => weights[t]);
            var elsewhere = terms.Where(t => !held.Contains(t))
                .SelectMany(t => snapshot.SubjectOf.GetValueOrDefault(t, []).Where(p => p != article.Path).Select(p => (Path: p, Weight: weights[t])))
                .GroupBy(x => x.Path, StringComparer.Ordinal).Select(g => g.Sum(x => x.Weight)).DefaultIfEmpty(0).Max();
            var onSubject = subject > 0 && subject > elsewhere;
            return new KnowledgeHit(article, hit.Score, coverage, onSubject);
        })];
    }

    /// <summary>
    /// The best article if it is a strong match: on the question's subject, holding enough of its terms, with a high enough
    /// score. None for a message that only asks to be given a thing (<see cref="ThingRequest"/>), which no article answers.
    /// </summary>
    public KnowledgeHit? BestStrongMatch(string question) =>
        !ThingRequest.IsOnly(question) && Search(question, 1) is [var best] && IsStrong(best) ? best : null;

    public bool IsStrong(KnowledgeHit hit) => hit.OnSubject && hit.Coverage >= _settings.MinCoverage && hit.Score >= _settings.MinScore;

    public void Reload()
    {
        try
        {
            // The old snapshot is left to the collector rather than disposed: a search may still be reading it.
            _snapshot = Build(LoadFolder(Folder, _teams, _logger));
            Reloaded?.Invoke(_snapshot.Articles.Count);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.ReloadFailed(_logger, ex, Folder);
        }
    }

    /// <summary>
    /// The folder's articles. A file that cannot be read or parsed is left out with a warning naming it and why, so one
    /// bad file (a dangling link, an unclosed front matter) neither fails every request nor hides the other articles.
    /// </summary>
    private static List<KnowledgeArticle> LoadFolder(string folder, SupportTeams? teams, ILogger logger)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            Log.FolderMissing(logger, folder);
            return [];
        }

        var articles = new List<KnowledgeArticle>();
        var files = System.IO.Directory.EnumerateFiles(folder, "*.md", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true });
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var path = Path.GetRelativePath(folder, file);
            try
            {
                articles.Add(OfConfiguredTeam(KnowledgeArticle.Parse(path, File.ReadAllText(file)), teams, logger));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                Log.Skipped(logger, path, folder, ex.Message);
            }
        }

        if (articles.Count == 0)
        {
            Log.NoArticles(logger, folder);
        }
        else
        {
            Log.Indexed(logger, articles.Count, folder);
        }

        return articles;
    }

    /// <summary>
    /// The article with its team and category named as configured: a deflection counts for the team it names, and
    /// <c>team: hr</c> would otherwise count apart from the HR team's tickets. A team that is not configured is kept
    /// and reported, since its deflections count for no team's KPIs.
    /// </summary>
    private static KnowledgeArticle OfConfiguredTeam(KnowledgeArticle article, SupportTeams? teams, ILogger logger)
    {
        if (teams is null)
        {
            return article;
        }

        if (teams.All.FirstOrDefault(t => t.Name.Equals(article.Team, StringComparison.OrdinalIgnoreCase)) is not { } team)
        {
            Log.UnknownTeam(logger, article.Path, article.Team, string.Join(", ", teams.All.Select(t => t.Name)));
            return article;
        }

        var category = team.Categories.FirstOrDefault(c => c.Equals(article.Category, StringComparison.OrdinalIgnoreCase)) ?? article.Category;
        return article with { Team = team.Name, Category = category };
    }

    private static Snapshot Build(List<KnowledgeArticle> articles)
    {
        var analyzer = new KnowledgeAnalyzer();
        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(KnowledgeAnalyzer.Version, analyzer) { Similarity = new BM25Similarity(), OpenMode = OpenMode.CREATE };
        var terms = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var subjects = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        // Words that describe a subject rather than name it (TextNormalizer.DescriptiveWords) are searched like any word,
        // but are no article's subject: "Moving MFA to a new phone" is about phones and MFA, and "I need a new laptop" is
        // not on its subject.
        var descriptive = Analyze(analyzer, string.Join(' ', TextNormalizer.DescriptiveWords)).ToHashSet(StringComparer.Ordinal);
        using (var writer = new IndexWriter(directory, config))
        {
            for (var n = 0; n < articles.Count; n++)
            {
                var article = articles[n];
                writer.AddDocument(new Document
                {
                    new StoredField("n", n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new TextField("title", KnowledgeAnalyzer.Spell(article.Title), Field.Store.NO),
                    new TextField("body", KnowledgeAnalyzer.Spell(article.Body), Field.Store.NO),
                    new TextField("keywords", KnowledgeAnalyzer.Spell(article.Keywords), Field.Store.NO),
                });
                var subject = Analyze(analyzer, article.Title + "\n" + article.Keywords);
                subjects[article.Path] = [.. subject.Where(t => !descriptive.Contains(t))];
                terms[article.Path] = [.. subject, .. Analyze(analyzer, article.Body)];
            }

            writer.Commit();
        }

        var reader = DirectoryReader.Open(directory);
        return new Snapshot(articles, terms, subjects, analyzer, directory, reader, new IndexSearcher(reader) { Similarity = new BM25Similarity() });
    }

    private static IEnumerable<string> Analyze(Analyzer analyzer, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream("body", new StringReader(KnowledgeAnalyzer.Spell(text)));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _snapshot.Dispose();
    }

    private sealed record Snapshot(
        IReadOnlyList<KnowledgeArticle> Articles,
        Dictionary<string, HashSet<string>> Terms,
        Dictionary<string, HashSet<string>> Subjects,
        Analyzer Analyzer,
        RAMDirectory Directory,
        DirectoryReader Reader,
        IndexSearcher Searcher) : IDisposable
    {
        /// <summary>For each term, the articles it is the subject of (in their title or keywords).</summary>
        public Dictionary<string, List<string>> SubjectOf { get; } = Subjects.SelectMany(p => p.Value.Select(t => (Term: t, Path: p.Key)))
            .GroupBy(x => x.Term, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Path).ToList(), StringComparer.Ordinal);

        private readonly Dictionary<string, int> _articlesWith = Terms.Values.SelectMany(t => t).CountBy(t => t, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);

        /// <summary>BM25's inverse document frequency of <paramref name="term"/> over the articles (a term no article has weighs most).</summary>
        public double Weight(string term)
        {
            var n = _articlesWith.GetValueOrDefault(term);
            return Math.Log(1 + ((Articles.Count - n + 0.5) / (n + 0.5)));
        }

        public void Dispose()
        {
            Reader.Dispose();
            Directory.Dispose();
            Analyzer.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Knowledge base: {Count} articles indexed from {Folder}")]
        public static partial void Indexed(ILogger logger, int count, string folder);

        [LoggerMessage(EventId = 5502, Level = LogLevel.Error, Message = "Reloading the knowledge base from {Folder} failed; the previous index stays in use")]
        public static partial void ReloadFailed(ILogger logger, Exception exception, string folder);

        [LoggerMessage(EventId = 5503, Level = LogLevel.Warning, Message = "Knowledge base: the folder {Folder} does not exist, so no articles are offered; set Automation:KnowledgePath to the folder of markdown articles (and restart once it exists)")]
        public static partial void FolderMissing(ILogger logger, string folder);

        [LoggerMessage(EventId = 5504, Level = LogLevel.Warning, Message = "Knowledge base: {Folder} holds no usable .md article, so no articles are offered")]
        public static partial void NoArticles(ILogger logger, string folder);

        [LoggerMessage(EventId = 5505, Level = LogLevel.Warning, Message = "Knowledge base: skipped {File} in {Folder}: {Reason}")]
        public static partial void Skipped(ILogger logger, string file, string folder, string reason);

        [LoggerMessage(EventId = 5506, Level = LogLevel.Warning, Message = "Knowledge base: {File} names team '{Team}', which is not a configured support team ({Teams}); its deflections count for no team")]
        public static partial void UnknownTeam(ILogger logger, string file, string team, string teams);
    }
}

/// <param name="Coverage">The share of the question's terms the article holds, each weighted by its idf over the articles.</param>
/// <param name="OnSubject">
/// Whether one of the question's terms is in the article's title or keywords: what the article is about, rather than a
/// word its text happens to use ("the password is on the reception <em>screen</em>" is no answer to a flickering screen).
/// </param>
public sealed record KnowledgeHit(KnowledgeArticle Article, float Score, double Coverage, bool OnSubject);
