using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Import;

/// <summary>
/// Loads a JSONL history into the log in batches. Each line is checked on its own (shape, then the ticket's
/// rules against the state built so far); a bad line is reported with its number and reason, the good ones
/// are kept. Lines already in the log are skipped, so a second import of the same file changes nothing.
/// </summary>
public sealed class HistoryImporter(IEventLog log, ITicketStore tickets)
{
    private const int BatchSize = 2000;

    public async Task<ImportReport> ImportJsonlAsync(TextReader reader, CancellationToken cancellationToken = default)
    {
        var rejected = new List<RejectedLine>();
        var state = new Dictionary<string, Ticket>(StringComparer.Ordinal);
        var batch = new List<(int Line, TicketEvent Event)>(BatchSize);
        int lineNumber = 0, appended = 0, skipped = 0;

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
                batch.Add((lineNumber, JsonlEventParser.Parse(line)));
            }
            catch (FormatException ex)
            {
                rejected.Add(new RejectedLine(lineNumber, ex.Message));
            }

            if (batch.Count == BatchSize)
            {
                (var a, var s) = await FlushAsync(batch, state, rejected, cancellationToken);
                appended += a;
                skipped += s;
                batch.Clear();
            }
        }

        (var lastAppended, var lastSkipped) = await FlushAsync(batch, state, rejected, cancellationToken);
        return new ImportReport(lineNumber, appended + lastAppended, skipped + lastSkipped, [.. rejected.OrderBy(r => r.Line)]);
    }

    private async Task<(int Appended, int Skipped)> FlushAsync(
        List<(int Line, TicketEvent Event)> batch,
        Dictionary<string, Ticket> state,
        List<RejectedLine> rejected,
        CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return (0, 0);
        }

        var existing = await log.ContainsAsync([.. batch.Select(b => b.Event.Id)], cancellationToken);
        var accepted = new List<TicketEvent>(batch.Count);
        var seenInBatch = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var (line, e) in batch)
        {
            if (existing.Contains(e.Id) || !seenInBatch.Add(e.Id))
            {
                skipped++;
                continue;
            }

            if (e.Ticket is { } key)
            {
                if (!state.TryGetValue(key, out var ticket))
                {
                    ticket = await tickets.GetAsync(key, cancellationToken) ?? new Ticket { Key = key };
                    state[key] = ticket;
                }

                if (ticket.Check(e) is { } problem)
                {
                    rejected.Add(new RejectedLine(line, problem));
                    continue;
                }

                ticket.Apply(e);
            }

            accepted.Add(e);
        }

        var result = await log.AppendAsync(accepted, cancellationToken: cancellationToken);
        return (result.Appended.Count, skipped + result.Skipped);
    }
}

public sealed record RejectedLine(int Line, string Reason);

public sealed record ImportReport(int Lines, int Appended, int Skipped, IReadOnlyList<RejectedLine> Rejected);
