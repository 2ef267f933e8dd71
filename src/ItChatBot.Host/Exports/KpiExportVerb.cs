using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Files;

namespace ItChatBot.Host.Exports;

/// <summary>
/// <c>/kpi export WHAT ...</c>: posts the CSV into the conversation (DESIGN §5: tickets, KPI time series, audit log,
/// access events). Serves every <see cref="IExportSource"/> (<c>audit</c>, <c>access</c>, with <c>period:</c>) and
/// every <see cref="IScopedExport"/> (<c>tickets</c>, <c>series METRIC</c>, with <c>team:</c> and <c>period:</c>).
/// Leads and admins only: the files name people. Every export, and every refused attempt, is audited, and so is every
/// download of the file through its link.
/// </summary>
public sealed class KpiExportVerb(ExportService exports, IEnumerable<IScopedExport> scoped, IAuditLog audit, FileLinks links) : ICommandVerb
{
    private readonly IReadOnlyList<IScopedExport> _scoped = [.. scoped];

    public string Command => "kpi";

    public string Verb => "export";

    public string Usage => string.Join(" | ",
        [$"/kpi export {exports.Names} [{ExportPeriod.ChatForms}]", .. _scoped.SelectMany(s => s.Forms).Select(f => $"/kpi export {f}")]);

    public string Summary => "Export as CSV, posted here: "
        + string.Join("; ", [.. exports.Sources.Select(s => $"{s.Name} = {s.Description}"), .. _scoped.Select(s => s.Description)]) + ".";

    public IReadOnlyList<string> Audience => [Roles.Lead];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            throw new UsageException("Say what to export.", Usage);
        }

        if (exports.Find(words[0]) is { } source)
        {
            await ExportSourceAsync(turn, source, words, cancellationToken);
            return;
        }

        if (_scoped.FirstOrDefault(s => s.Handles(words[0])) is { } export)
        {
            await ExportScopedAsync(turn, export, words, cancellationToken);
            return;
        }

        throw new UsageException($"'{words[0]}' is not an export.", Usage);
    }

    private async Task ExportSourceAsync(Turn turn, IExportSource source, string[] words, CancellationToken cancellationToken)
    {
        string? periodText = null;
        foreach (var word in words.Skip(1))
        {
            if (word.StartsWith("period:", StringComparison.OrdinalIgnoreCase) && periodText is null)
            {
                periodText = word["period:".Length..];
            }
            else
            {
                throw new UsageException($"'{word}' is not understood here.", Usage);
            }
        }

        if (ExportPeriod.FromChat(periodText, turn.Now, out var problem) is not { } period)
        {
            throw new UsageException(problem!, Usage);
        }

        if (await RefusedAsync(turn, source.Name, cancellationToken))
        {
            return;
        }

        var file = await exports.RunAsync(source, period, turn.Person.Id, turn.Inbound.Conversation.Channel, cancellationToken);
        await PostAsync(turn, source.Name, $"Export: {source.Name}", file, $"{file.Rows} rows, {period}.", cancellationToken);
    }

    private async Task ExportScopedAsync(Turn turn, IScopedExport export, string[] words, CancellationToken cancellationToken)
    {
        // Refused before the file is built: nothing about the tickets is computed for someone who may not have it.
        if (await RefusedAsync(turn, words[0].ToLowerInvariant(), cancellationToken))
        {
            return;
        }

        ScopedExportFile result;
        try
        {
            result = await export.ExportAsync(words, turn.Now, cancellationToken);
        }
        catch (UsageException e)
        {
            throw new UsageException(e.Problem, Usage);
        }

        await exports.RecordAsync(result.What, result.From, result.To, result.File.Rows, turn.Person.Id, turn.Inbound.Conversation.Channel, result.Scope, cancellationToken);
        var team = result.Scope.TryGetValue("team", out var t) ? $", team {t}" : "";
        await PostAsync(turn, result.What, result.Title, result.File,
            $"{result.File.Rows} rows, {ExportPeriod.Format(result.From)} to {ExportPeriod.Format(result.To)}{team}.", cancellationToken);
    }

    private static bool IsLeadOrAdmin(Person person) => person.HasRole(Roles.Lead) || person.HasRole(Roles.Admin);

    /// <summary>Refuses (privately, and audited) anyone but a lead or an admin; true when refused.</summary>
    private async Task<bool> RefusedAsync(Turn turn, string what, CancellationToken cancellationToken)
    {
        if (IsLeadOrAdmin(turn.Person))
        {
            return false;
        }

        await audit.AppendAsync(AuditRecord.New(turn.Now, turn.Person.Id, AuditActions.Export, $"{what}.csv", new Dictionary<string, string>
        {
            ["what"] = what,
            ["via"] = turn.Inbound.Conversation.Channel,
            ["refused"] = "not a lead or admin",
        }), cancellationToken);
        turn.ReplyEphemeral(new Card { Title = "Not allowed", Text = $"Only leads and admins can export the {what} CSV: exports name people, so they are for team leads and admins." });
        return true;
    }

    private async Task PostAsync(Turn turn, string what, string title, ExportFile file, string text, CancellationToken cancellationToken)
    {
        // Slack takes the bytes; Teams and the web chat get a signed, expiring link whose downloads are audited.
        var url = await links.PublishAsync(file.FileName, ExportFile.ContentType, file.Content, new ExportOrigin(what, turn.Person.Id), cancellationToken);
        turn.Add(new OutboundMessage
        {
            Id = NewId.Next(),
            Conversation = turn.ReplyThread,
            Card = new Card
            {
                Title = title,
                Text = text,
                Context = $"Exported by {turn.Person.DisplayName}; this export is recorded in the audit log.",
            },
            File = new OutboundFile(file.FileName, ExportFile.ContentType, file.Content) { Url = url },
            CreatedAt = turn.Now,
        });
    }
}
