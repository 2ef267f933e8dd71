using System.Text.Json;
using ItChatBot.Automation.Postgres;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Workflows;
using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Automation.Workflows;

/// <summary>
/// Run cursors in PostgreSQL (table <c>workflow_runs</c>), shared by several instances. Nothing is kept in memory: every
/// read asks the table, since another instance may have moved the run since.
/// </summary>
/// <remarks>
/// Who advances a run: the instance whose id is in the run's <c>owner</c> while it executes a step, claimed atomically
/// (<see cref="TryClaimAsync"/>) and cleared when it is done. A claim whose instance is no longer running (it crashed
/// mid-step; <see cref="PostgresInstance.IsAliveAsync"/>) is taken over, with a compare-and-set on the dead owner so only
/// one taker wins. A claim rather than a row lock held through the step: the step runs for as long as its connector
/// takes and saves the run itself in other transactions, which a held lock on the row would block. Together with the
/// step keys in the event log (run id + step index, checked before a step executes) two instances neither resume nor
/// execute the same step of a run at once, and a step completed before a crash is not repeated.
/// </remarks>
public sealed class PostgresWorkflowRunStore(PostgresDatabase db, PostgresInstance instance) : IWorkflowRunStore
{
    private const string Columns = "json";

    public Task SaveAsync(WorkflowRun run) => db.WriteAsync((c, tx) =>
    {
        run = run with { DueAt = Rows.Ms(run.DueAt), StartedAt = Rows.Ms(run.StartedAt) };
        // The claim columns (owner, again) are not the record's: a save keeps them.
        return PostgresDatabase.Execute(c, tx,
            """
            insert into workflow_runs (id, ticket, status, started_at, json) values (@id, @ticket, @status, @started, @json)
            on conflict (id) do update set ticket = excluded.ticket, status = excluded.status, started_at = excluded.started_at, json = excluded.json
            """,
            CancellationToken.None,
            ("id", run.Id), ("ticket", run.Ticket), ("status", run.Status.ToString()), ("started", run.StartedAt), ("json", JsonSerializer.Serialize(run, Rows.Json)));
    });

    public Task<bool> TryAddAsync(WorkflowRun run, IReadOnlyList<OutboundMessage> messages) => db.WriteAsync(async (c, tx) =>
    {
        run = run with { DueAt = Rows.Ms(run.DueAt), StartedAt = Rows.Ms(run.StartedAt) };
        var added = await PostgresDatabase.Execute(c, tx,
            "insert into workflow_runs (id, ticket, status, started_at, json) values (@id, @ticket, @status, @started, @json) on conflict (id) do nothing",
            CancellationToken.None,
            ("id", run.Id), ("ticket", run.Ticket), ("status", run.Status.ToString()), ("started", run.StartedAt), ("json", JsonSerializer.Serialize(run, Rows.Json)));
        if (added == 0)
        {
            return false;
        }

        await Rows.EnqueueAsync(c, tx, messages);
        return true;
    });

    public async Task<WorkflowRun?> GetAsync(string id) =>
        (await ReadAsync($"select {Columns} from workflow_runs where id = @id", ("id", id))).SingleOrDefault();

    public Task<IReadOnlyList<WorkflowRun>> UnfinishedAsync() =>
        ReadAsync($"select {Columns} from workflow_runs where status in ('Running', 'WaitingForApproval') order by started_at, id");

    public Task<IReadOnlyList<WorkflowRun>> ForTicketAsync(string ticket) =>
        ReadAsync($"select {Columns} from workflow_runs where ticket = @ticket order by started_at, id", ("ticket", ticket));

    public async Task<bool> TryClaimAsync(string runId, CancellationToken cancellationToken = default)
    {
        // Our own presence first: the claim names this instance, and others must see it alive while it holds the run.
        await instance.StartAsync(cancellationToken);
        while (true)
        {
            var (claimed, owner) = await db.WriteAsync<(bool, string?)>(async (c, tx) =>
            {
                var rows = await Pg.QueryAsync(c, tx, "select owner from workflow_runs where id = @id for update", r => Pg.NullableString(r, 0), cancellationToken, ("id", runId));
                if (rows.Count == 0)
                {
                    // No such run: nothing to hold; the engine finds nothing to advance.
                    return (true, null);
                }

                if (rows[0] is { } other && other != instance.Id)
                {
                    return (false, other);
                }

                await PostgresDatabase.Execute(c, tx, "update workflow_runs set owner = @me, again = false where id = @id", cancellationToken, ("id", runId), ("me", instance.Id));
                return (true, null);
            }, cancellationToken);
            if (claimed)
            {
                return true;
            }

            if (await instance.IsAliveAsync(owner!, cancellationToken))
            {
                // Ask the owner for another pass; if it let go meanwhile, the update finds no row and we claim again.
                if (await db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx, "update workflow_runs set again = true where id = @id and owner = @owner",
                        cancellationToken, ("id", runId), ("owner", owner)), cancellationToken) == 1)
                {
                    return false;
                }

                continue;
            }

            // The owner stopped mid-pass: take the run over, unless another instance did first.
            if (await db.WriteAsync((c, tx) => PostgresDatabase.Execute(c, tx, "update workflow_runs set owner = @me, again = false where id = @id and owner = @owner",
                    cancellationToken, ("id", runId), ("owner", owner), ("me", instance.Id)), cancellationToken) == 1)
            {
                return true;
            }
        }
    }

    public Task<bool> ReleaseAsync(string runId, bool force = false, CancellationToken cancellationToken = default) => db.WriteAsync(async (c, tx) =>
    {
        if (await PostgresDatabase.Execute(c, tx, $"update workflow_runs set owner = null, again = false where id = @id and owner = @me{(force ? "" : " and not again")}",
                cancellationToken, ("id", runId), ("me", instance.Id)) == 1)
        {
            return true;
        }

        // Asked for another pass (keep the claim, clear the ask), or no longer ours (taken over while we were cut off).
        return await PostgresDatabase.Execute(c, tx, "update workflow_runs set again = false where id = @id and owner = @me and again",
            cancellationToken, ("id", runId), ("me", instance.Id)) == 0;
    }, cancellationToken);

    private async Task<IReadOnlyList<WorkflowRun>> ReadAsync(string sql, params (string Name, object? Value)[] parameters) =>
        await db.ReadAsync(c => Pg.QueryAsync(c, null, sql, Read, CancellationToken.None, parameters));

    private static WorkflowRun Read(NpgsqlDataReader reader) => JsonSerializer.Deserialize<WorkflowRun>(reader.GetString(0), Rows.Json)!;
}
