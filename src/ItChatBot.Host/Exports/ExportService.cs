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
        await audit.AppendAsync(AuditRecord.New(clock.GetUtcNow(), actor, AuditActions.Export, $"{source.Name}.csv", new Dictionary<string, string>
        {
            ["what"] = source.Name,
            ["from"] = ExportPeriod.Format(period.From),
            ["to"] = ExportPeriod.Format(period.To),
            ["rows"] = file.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["via"] = via,
        }), cancellationToken);
        return file;
    }
}
