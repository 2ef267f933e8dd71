using ItChatBot.Core.Audit;

namespace ItChatBot.Host.Exports;

/// <summary>Runs an export by name and writes the audit entry that every export gets (who, what, which period, how many rows, through what).</summary>
public sealed class ExportService(IEnumerable<IExportSource> sources, IAuditLog audit, TimeProvider clock)
{
    private readonly IReadOnlyList<IExportSource> _sources = [.. sources.OrderBy(s => s.Name, StringComparer.Ordinal)];

    public IReadOnlyList<IExportSource> Sources => _sources;

    public string Names => string.Join("|", _sources.Select(s => s.Name));

    public IExportSource? Find(string? name) =>
        _sources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <param name="via"><c>api</c> or the chat channel the command came from.</param>
    public async Task<ExportFile> RunAsync(IExportSource source, ExportPeriod period, string actor, string via, CancellationToken cancellationToken)
    {
        var file = await source.ExportAsync(period, cancellationToken);
        await RecordAsync(source.Name, period.From, period.To, file.Rows, actor, via, null, cancellationToken);
        return file;
    }

    /// <summary>The audit entry of one export, also for those built elsewhere (tickets, KPI series); <paramref name="scope"/> adds e.g. the team and metric.</summary>
    public async Task RecordAsync(string what, DateTimeOffset from, DateTimeOffset to, int rows, string actor, string via,
        IReadOnlyDictionary<string, string>? scope, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>
        {
            ["what"] = what,
            ["from"] = ExportPeriod.Format(from),
            ["to"] = ExportPeriod.Format(to),
            ["rows"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["via"] = via,
        };
        foreach (var (key, value) in scope ?? new Dictionary<string, string>())
        {
            data.TryAdd(key, value);
        }

        await audit.AppendAsync(AuditRecord.New(clock.GetUtcNow(), actor, AuditActions.Export, $"{what}.csv", data), cancellationToken);
    }
}
