using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Import;

/// <summary>
/// Loads a JSONL history into the log in batches. Each line is checked on its own: its shape here, then the
/// ticket's rules by the log itself against the state built so far (<see cref="IEventLog.AppendCheckedAsync"/>);
/// a bad line is reported with its number and reason, the good ones are kept. Lines already in the log are
/// skipped, so a second import of the same file changes nothing.
/// </summary>
/// <remarks>
/// While one batch is being written the next is read and parsed: the log writes batches in the order they were
/// handed over, so each is checked against everything before it.
/// </remarks>
public sealed class HistoryImporter(IEventLog log)
{
    private const int BatchSize = 4000;

    public async Task<ImportReport> ImportJsonlAsync(TextReader reader, CancellationToken cancellationToken = default)
    {
        var rejected = new List<RejectedLine>();
        var batch = new Batch(BatchSize);
        Task<(Batch Batch, AppendResult Result)>? writing = null;
        int lineNumber = 0, appended = 0, skipped = 0;

        async Task CollectAsync()
        {
            if (writing is null)
            {
                return;
            }

            var (done, result) = await writing;
            writing = null;
            appended += result.Appended.Count;
            skipped += result.Skipped;
            rejected.AddRange(result.Rejected.Select(r => new RejectedLine(done.Lines[r.Index], r.Reason)));
        }

        async Task HandOverAsync()
        {
            await CollectAsync();
            if (batch.Events.Count > 0)
            {
                writing = WriteAsync(batch);
                batch = new Batch(BatchSize);
            }
        }

        async Task<(Batch Batch, AppendResult Result)> WriteAsync(Batch handed) =>
            (handed, await log.AppendCheckedAsync(handed.Events, cancellationToken));

        string? line;
        while ((line = await reader.ReadLineAsync(cancellationToken)) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                batch.Add(lineNumber, JsonlEventParser.Parse(line));
            }
            catch (FormatException ex)
            {
                rejected.Add(new RejectedLine(lineNumber, ex.Message));
            }

            if (batch.Events.Count == BatchSize)
            {
                await HandOverAsync();
            }
        }

        await HandOverAsync();
        await CollectAsync();
        return new ImportReport(lineNumber, appended, skipped, [.. rejected.OrderBy(r => r.Line)]);
    }

    private sealed class Batch(int capacity)
    {
        public List<TicketEvent> Events { get; } = new(capacity);

        public List<int> Lines { get; } = new(capacity);

        public void Add(int line, TicketEvent e)
        {
            Lines.Add(line);
            Events.Add(e);
        }
    }
}

public sealed record RejectedLine(int Line, string Reason);

public sealed record ImportReport(int Lines, int Appended, int Skipped, IReadOnlyList<RejectedLine> Rejected)
{
    /// <summary>Lines imported without a part of them that could not be read (a CSV row's unknown satisfaction label), each saying what was left out.</summary>
    public IReadOnlyList<RejectedLine> Notes { get; init; } = [];
}
