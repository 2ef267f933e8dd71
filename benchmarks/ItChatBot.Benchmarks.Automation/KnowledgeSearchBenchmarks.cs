using BenchmarkDotNet.Attributes;
using Bogus;
using ItChatBot.Automation;
using ItChatBot.Automation.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;

namespace ItChatBot.Benchmarks.Automation;

/// <summary>Knowledge-base search over 5,000 generated articles (plus the shipped ones), and the time to index them all.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class KnowledgeSearchBenchmarks
{
    private static readonly string[] Topics =
    [
        "vpn", "printer", "wifi", "outlook", "mailbox", "mfa", "laptop", "monitor", "docking station", "teams meeting", "sharepoint",
        "onedrive", "password", "badge", "expenses", "payroll", "holiday", "invoice", "purchase order", "phishing", "malware", "zoom",
    ];

    private List<KnowledgeArticle> _articles = null!;
    private KnowledgeBase _kb = null!;

    [Params("how do I connect to the VPN from home", "outlook says my mailbox is full", "badge printer jammed at reception desk")]
    public string Question { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _articles = Generate(5000);
        var shipped = Directory.EnumerateFiles(Paths.Knowledge, "*.md").Select(f => KnowledgeArticle.Parse(Path.GetFileName(f), File.ReadAllText(f)));
        _articles.AddRange(shipped);
        _kb = new KnowledgeBase(_articles, new KnowledgeSettings(), NullLogger<KnowledgeBase>.Instance);
    }

    [Benchmark]
    public KnowledgeHit? Search() => _kb.BestStrongMatch(Question);

    [Benchmark]
    public int Index5000()
    {
        using var kb = new KnowledgeBase(_articles, new KnowledgeSettings(), NullLogger<KnowledgeBase>.Instance);
        return kb.Count;
    }

    [GlobalCleanup]
    public void Cleanup() => _kb.Dispose();

    private static List<KnowledgeArticle> Generate(int count)
    {
        var faker = new Faker { Random = new Randomizer(42) };
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var topic = Topics[i % Topics.Length];
            var other = faker.PickRandom(Topics);
            var title = $"{faker.Hacker.Verb()} {topic} {faker.Hacker.Noun()} ({i})";
            var body = string.Join(' ', Enumerable.Range(0, 12).Select(_ => faker.Lorem.Sentence())) + $" See also {other}. {faker.Hacker.Phrase()} {topic}.";
            return new KnowledgeArticle($"gen/{i}.md", title, body, "IT", "general");
        })];
    }
}
