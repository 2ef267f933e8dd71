using System.Diagnostics;
using System.Globalization;
using System.Text;
using ItChatBot.Core.Import;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Benchmarks;

/// <summary>
/// Writes a JSONL history of <c>events</c> lines (tickets of five events each: created, assigned, responded,
/// resolved, survey) to a temp file, then imports it into a fresh LiteDB file and reports the rate.
/// </summary>
public static class ImportThroughput
{
    public static async Task<int> RunAsync(int events)
    {
        var folder = Path.Combine(Path.GetTempPath(), "itchatbot-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "history.jsonl");
            await WriteHistoryAsync(file, events);
            using var store = new LiteDbStore(Path.Combine(folder, "import.db"));
            var importer = new HistoryImporter(store);

            var watch = Stopwatch.StartNew();
            using (var reader = File.OpenText(file))
            {
                var report = await importer.ImportJsonlAsync(reader);
                watch.Stop();
                Console.WriteLine($"imported {report.Appended:N0} events ({report.Rejected.Count} rejected) in {watch.Elapsed.TotalSeconds:F1} s: {report.Appended / watch.Elapsed.TotalSeconds:N0} events/s");
            }

            watch.Restart();
            using (var again = File.OpenText(file))
            {
                var report = await importer.ImportJsonlAsync(again);
                Console.WriteLine($"second import of the same file: {report.Appended} appended, {report.Skipped:N0} skipped in {watch.Elapsed.TotalSeconds:F1} s");
            }

            Console.WriteLine($"data file: {new FileInfo(Path.Combine(folder, "import.db")).Length / 1024 / 1024} MiB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024} MiB");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WriteHistoryAsync(string file, int events)
    {
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var writer = new StreamWriter(file, append: false, Encoding.UTF8);
        for (var n = 0; n * 5 < events; n++)
        {
            var key = $"IT-{n + 1}";
            var t = start.AddMinutes(n * 3);
            string At(int minutes) => t.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var agent = $"A{n % 12}";
            var requester = $"U{n % 500}";
            await writer.WriteLineAsync($$"""{"ticket":"{{key}}","type":"Created","at":"{{At(0)}}","actor":"{{requester}}","actorKind":"requester","team":"IT","category":"c{{n % 9}}","priority":"P{{1 + (n % 4)}}","requester":"{{requester}}","channel":"slack","subject":"ticket {{n}}"}""");
            await writer.WriteLineAsync($$"""{"ticket":"{{key}}","type":"Assigned","at":"{{At(4)}}","actor":"{{agent}}","actorKind":"agent","assignee":"{{agent}}"}""");
            await writer.WriteLineAsync($$"""{"ticket":"{{key}}","type":"Responded","at":"{{At(9)}}","actor":"{{agent}}","actorKind":"agent"}""");
            await writer.WriteLineAsync($$"""{"ticket":"{{key}}","type":"Resolved","at":"{{At(90)}}","actor":"{{agent}}","actorKind":"agent"}""");
            await writer.WriteLineAsync($$"""{"ticket":"{{key}}","type":"SurveyAnswered","at":"{{At(200)}}","actor":"{{requester}}","actorKind":"requester","score":{{1 + (n % 5)}}}""");
        }
    }
}
