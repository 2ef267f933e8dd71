using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Files;

namespace ItChatBot.Host.Exports;

/// <summary>
/// <c>/kpi export WHAT [period:...]</c>: posts the CSV into the conversation. Serves every
/// <see cref="IExportSource"/>, so another part adds <c>tickets</c> or <c>kpi</c> by registering a source.
/// Leads and admins only: the files name people and what they were given.
/// </summary>
public sealed class KpiExportVerb(ExportService exports, IAuditLog audit, FileLinks links) : ICommandVerb
{
    public string Command => "kpi";

    public string Verb => "export";

    public string Usage => $"/kpi export {exports.Names} [{ExportPeriod.ChatForms}]";

    public string Summary => "Export as CSV, posted here: " + string.Join("; ", exports.Sources.Select(s => $"{s.Name} = {s.Description}")) + ".";

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            throw new UsageException("Say what to export.", Usage);
        }

        if (exports.Find(words[0]) is not { } source)
        {
            throw new UsageException($"'{words[0]}' is not an export.", Usage);
        }

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

        if (!turn.Person.HasRole(Roles.Lead) && !turn.Person.HasRole(Roles.Admin))
        {
            await audit.AppendAsync(AuditRecord.New(turn.Now, turn.Person.Id, AuditActions.Export, $"{source.Name}.csv", new Dictionary<string, string>
            {
                ["what"] = source.Name,
                ["via"] = turn.Inbound.Conversation.Channel,
                ["refused"] = "not a lead or admin",
            }), cancellationToken);
            turn.ReplyEphemeral(new Card { Title = "Not allowed", Text = $"Only leads and admins can export the {source.Name} CSV." });
            return;
        }

        var file = await exports.RunAsync(source, period, turn.Person.Id, turn.Inbound.Conversation.Channel, cancellationToken);

        // Slack takes the bytes; Teams and the web chat get a signed, expiring link whose downloads are audited.
        var url = await links.PublishAsync(file.FileName, ExportFile.ContentType, file.Content, new ExportOrigin(source.Name, turn.Person.Id), cancellationToken);
        turn.Add(new OutboundMessage
        {
            Id = NewId.Next(),
            Conversation = turn.ReplyThread,
            Card = new Card
            {
                Title = $"Export: {source.Name}",
                Text = $"{file.Rows} rows, {period}.",
                Context = $"Exported by {turn.Person.DisplayName}; this export is recorded in the audit log.",
            },
            File = new OutboundFile(file.FileName, ExportFile.ContentType, file.Content) { Url = url },
            CreatedAt = turn.Now,
        });
    }
}
