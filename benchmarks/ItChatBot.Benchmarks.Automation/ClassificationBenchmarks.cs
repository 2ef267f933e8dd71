using BenchmarkDotNet.Attributes;
using ItChatBot.Automation;
using ItChatBot.Automation.Connectors;
using ItChatBot.Automation.Understanding;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Directory;
using ItChatBot.Storage.LiteDb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ItChatBot.Benchmarks.Automation;

/// <summary>Time to understand one chat message with the deterministic classifier (intents ranked + slots), over the shipped workflows.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "itchatbot-bench", Guid.NewGuid().ToString("N"));
    private LiteDbStore _store = null!;
    private IntentClassifier _classifier = null!;

    [Params("I forgot my password", "I need admin rights on the AWS console for 3 days", "the coffee machine on floor two makes strange noises")]
    public string Message { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_folder);
        _store = new LiteDbStore(Path.Combine(_folder, "bench.db"));
        var teams = new SupportTeams([]);
        // No endpoint configured: the classifier learns from every loaded workflow, also those that are off for want of one.
        var catalog = new WorkflowCatalog(new WorkflowLoader(teams).LoadFolder(Paths.Workflows), new HashSet<string>(), NullLogger<WorkflowCatalog>.Instance);
        _classifier = new IntentClassifier(catalog, teams, new SlotExtractor(new ApplicationCatalog(_store)), Options.Create(new AutomationOptions()));
    }

    [Benchmark]
    public Understood Classify() => _classifier.Classify(Message);

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
