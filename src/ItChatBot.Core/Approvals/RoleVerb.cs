using ItChatBot.Core.Audit;
using ItChatBot.Core.Cards;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Approvals;

/// <summary>
/// <c>/it role @person add|remove lead|agent|admin|approver</c>: an admin changes someone's roles in the directory.
/// Every change is audited (<c>role.changed</c> with the roles before and after), and so is a refused attempt by
/// anyone who is not an admin (<c>role.change-refused</c>), because who may do what is exactly what an audit asks.
/// </summary>
public sealed class RoleVerb(IDirectory directory, MentionResolver mentions, IAuditLog audit) : ICommandVerb
{
    public const string Add = "add";
    public const string Remove = "remove";

    /// <summary>The roles this verb manages; everyone is an employee, so that one is not added or removed.</summary>
    public static readonly IReadOnlyList<string> Manageable = [Roles.Lead, Roles.Agent, Roles.Admin, Roles.Approver];

    public string Command => "it";

    public string Verb => "role";

    public string Usage => "/it role @person add|remove lead|agent|admin|approver";

    public string Summary => "Admins: give someone a role or take it away (audited).";

    public IReadOnlyList<string> Audience => [Roles.Admin];

    public async Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length != 3)
        {
            throw new UsageException(words.Length == 0 ? "Name the person, add or remove, and the role." : $"Expected three words, got {words.Length}.", Usage);
        }

        var change = words[1].ToLowerInvariant();
        if (change is not (Add or Remove))
        {
            throw new UsageException($"'{words[1]}' is not add or remove.", Usage);
        }

        var role = Manageable.FirstOrDefault(r => r.Equals(words[2], StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"'{words[2]}' is not a role this verb manages; roles are {string.Join(", ", Manageable)}.", Usage);
        var person = await mentions.ResolveAsync(turn.Inbound.Conversation.Channel, words[0], cancellationToken);

        if (!turn.Person.HasRole(Roles.Admin))
        {
            await audit.AppendAsync(AuditRecord.New(turn.Now, turn.Person.Id, AuditActions.RoleChangeRefused, $"person:{person.Id}", new Dictionary<string, string>
            {
                ["change"] = change,
                ["role"] = role,
                ["refused"] = "not an admin",
                ["channel"] = turn.Inbound.Conversation.Channel,
            }), cancellationToken);
            turn.ReplyEphemeral(new Card
            {
                Title = "You can't change roles",
                Text = "Only admins can give or take away roles; ask an admin. Nothing was changed, and the attempt was recorded in the audit log.",
                Context = Usage,
            });
            return;
        }

        if (change == Remove && role == Roles.Admin && string.Equals(person.Id, turn.Person.Id, StringComparison.OrdinalIgnoreCase))
        {
            // Otherwise a slip of the keyboard could leave the desk with no admin to put it right.
            throw new DomainException("You cannot remove your own admin role; ask another admin. Nothing was changed.");
        }

        var before = person.Roles.ToList();
        var has = person.HasRole(role);
        if (has == (change == Add))
        {
            turn.ReplyEphemeral(new Card
            {
                Title = "Nothing to change",
                Text = $"{person.DisplayName} {(has ? "already has" : "does not have")} the {role} role.",
                Context = $"roles: {string.Join(", ", before)}",
            });
            return;
        }

        person.Roles = change == Add
            ? [.. before, role]
            : [.. before.Where(r => !r.Equals(role, StringComparison.OrdinalIgnoreCase))];
        await directory.UpsertAsync(person, cancellationToken);
        await audit.AppendAsync(AuditRecord.New(turn.Now, turn.Person.Id, AuditActions.RoleChanged, $"person:{person.Id}", new Dictionary<string, string>
        {
            ["change"] = change,
            ["role"] = role,
            ["before"] = string.Join(",", before),
            ["after"] = string.Join(",", person.Roles),
            ["channel"] = turn.Inbound.Conversation.Channel,
        }), cancellationToken);
        turn.ReplyEphemeral(new Card
        {
            Title = $"{person.DisplayName}: {role} {(change == Add ? "added" : "removed")}",
            Text = $"Roles now: {string.Join(", ", person.Roles)}.",
            Context = "Recorded in the audit log as role.changed",
        });
    }
}
