using System.Text.Json;
using ItChatBot.Core.Audit;

namespace ItChatBot.Host.Exports;

/// <summary>The audit log for a period, with each entry's hashes so the file can be checked against the chain.</summary>
public sealed class AuditExportSource(IAuditLog audit) : IExportSource
{
    public string Name => "audit";

    public string Description => "audit log: approvals, access changes, overrides, role changes, exports";

    public async Task<ExportFile> ExportAsync(ExportPeriod period, CancellationToken cancellationToken)
    {
        var entries = await audit.ReadAsync(period.From, period.To, cancellationToken);
        var content = Csv.Write(
            ["seq", "at", "actor", "action", "subject", "data", "prev_hash", "hash"],
            entries.Select(e => (IReadOnlyList<string>)
            [
                e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Csv.Time(e.At),
                e.Actor,
                e.Action,
                e.Subject,
                JsonSerializer.Serialize(new SortedDictionary<string, string>(e.Data.ToDictionary(), StringComparer.Ordinal)),
                e.PrevHash,
                e.Hash,
            ]));
        return new ExportFile($"audit_{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv", content, entries.Count);
    }
}
