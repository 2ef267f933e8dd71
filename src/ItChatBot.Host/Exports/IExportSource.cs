namespace ItChatBot.Host.Exports;

/// <summary>
/// One CSV export (<c>audit</c>, <c>access</c>; other parts may add <c>tickets</c> or <c>kpi</c>). Both
/// <c>GET /api/export/{name}.csv</c> and <c>/kpi export {name}</c> serve every registered source, and
/// <see cref="ExportService"/> audits each run.
/// </summary>
public interface IExportSource
{
    string Name { get; }

    string Description { get; }

    Task<ExportFile> ExportAsync(ExportPeriod period, CancellationToken cancellationToken);
}

public sealed record ExportFile(string FileName, byte[] Content, int Rows)
{
    public const string ContentType = "text/csv";
}
