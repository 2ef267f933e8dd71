using ItChatBot.Automation.Postgres;
using ItChatBot.Core.Conversations;
using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// Pending requests in PostgreSQL (table <c>automation_pending</c>). A request is used once across instances: the first
/// press marks it in one conditional update, so a second press on another instance finds it used.
/// </summary>
public sealed class PostgresPendingRequestStore(PostgresDatabase db) : IPendingRequestStore
{
    private const string Columns = "id, person, text, channel, conv, thread, article, workflow, created_at, used";

    public Task AddAsync(PendingRequest r) => db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx,
        """
        insert into automation_pending (id, person, text, channel, conv, thread, article, workflow, created_at, used)
        values (@id, @person, @text, @channel, @conv, @thread, @article, @workflow, @created, @used)
        """,
        CancellationToken.None,
        ("id", r.Id), ("person", r.Person), ("text", r.Text), ("channel", r.Origin.Channel), ("conv", r.Origin.ConversationId),
        ("thread", r.Origin.ThreadId), ("article", r.Article), ("workflow", r.Workflow), ("created", Rows.Ms(r.CreatedAt)), ("used", r.Used)));

    public Task<PendingRequest?> GetAsync(string id) => db.ReadAsync(async c =>
        (await Pg.QueryAsync(c, null, $"select {Columns} from automation_pending where id = @id", Read, CancellationToken.None, ("id", id))).SingleOrDefault());

    public Task<PendingRequest?> OpenOfferInAsync(ConversationRef thread, string person, string delivery) => thread.ThreadId is null
        ? Task.FromResult<PendingRequest?>(null)
        : db.ReadAsync(async c => (await Pg.QueryAsync(c, null,
            $"""
            select {Columns} from automation_pending
            where thread = @thread and channel = @channel and conv = @conv and person = @person and article is not null
              and (not used or used_by = @delivery)
            order by created_at desc, id desc limit 1
            """,
            Read, CancellationToken.None,
            ("thread", thread.ThreadId), ("channel", thread.Channel), ("conv", thread.ConversationId), ("person", person), ("delivery", delivery))).SingleOrDefault());

    public Task<bool> TryUseAsync(string id, string delivery) => db.WriteAsync(async (c, tx) =>
        // One statement under the row's lock: of two presses at once on two instances, the second sees the first's mark.
        await PostgresDatabase.Execute(c, tx,
            "update automation_pending set used = true, used_by = @delivery where id = @id and (not used or used_by = @delivery)",
            CancellationToken.None, ("id", id), ("delivery", delivery)) == 1);

    private static PendingRequest Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        new ConversationRef(r.GetString(3), r.GetString(4), Pg.NullableString(r, 5)),
        Pg.NullableString(r, 6),
        Pg.NullableString(r, 7),
        Rows.Ms(r.GetFieldValue<DateTimeOffset>(8)),
        r.GetBoolean(9));
}
