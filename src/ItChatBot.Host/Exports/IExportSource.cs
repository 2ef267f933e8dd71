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
    /// <summary>
    /// The charset is said (without it RFC 4180 makes text/csv US-ASCII), and <see cref="Utf8"/> starts the file with a byte order mark, as
    /// Jira's and Freshservice's exports do: Excel reads a CSV without one in the machine's ANSI code page, so Zoë, Łukasz or
    /// 山田 came out garbled.
    /// </summary>
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>The bytes of a CSV file: a UTF-8 byte order mark, then the text in UTF-8.</summary>
    public static byte[] Utf8(string csv) => [.. System.Text.Encoding.UTF8.Preamble, .. System.Text.Encoding.UTF8.GetBytes(csv)];
}

/// <summary>
/// An export that takes the <c>/kpi</c> options (<c>team:</c>, <c>period:</c>, a metric) rather than a period alone,
/// such as the tickets and a metric's time series. <c>/kpi export</c> serves it beside the <see cref="IExportSource"/>s,
/// with the same role check, audit entry and audited download link.
/// </summary>
public interface IScopedExport
{
    /// <summary>The chat forms, as shown in the usage, e.g. <c>tickets [team:NAME] [period:...]</c>.</summary>
    IReadOnlyList<string> Forms { get; }

    string Description { get; }

    bool Handles(string what);

    /// <summary>Builds the file from the words after <c>/kpi export</c>; a <see cref="Core.Conversations.UsageException"/> names what was wrong.</summary>
    Task<ScopedExportFile> ExportAsync(IReadOnlyList<string> words, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A scoped export's file, what it was (<c>tickets</c>, <c>series</c>), its period and scope (team, metric) for the audit.</summary>
public sealed record ScopedExportFile(string What, string Title, ExportFile File, DateTimeOffset From, DateTimeOffset To, IReadOnlyDictionary<string, string> Scope);
