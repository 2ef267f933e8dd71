using System.Diagnostics;
using ItChatBot.Core.Storage;
using Npgsql;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// One running service instance among the several that share a database. While it runs it holds, on a connection of its
/// own, a session advisory lock named after its <see cref="Id"/> (its presence), so another instance can tell whether it
/// is alive (<see cref="IsAliveAsync"/>) and take over what it left half done, such as accepted deliveries it never
/// processed. PostgreSQL frees the lock when the instance's connection ends, however the instance ends. The same
/// connection holds the leaderships of <see cref="TryLeadAsync"/>: work that one instance at a time must do.
/// </summary>
public sealed class PostgresInstance : ILeadership, IAsyncDisposable
{
    private readonly PostgresDatabase _db;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _leading = new(StringComparer.Ordinal);
    private NpgsqlConnection? _session;
    private long _sessionCheckedAt;

    private readonly TimeSpan _recheckAfter;

    /// <param name="id">Unique among the instances that ever use the database; by default the machine, process and a random part.</param>
    /// <param name="recheckAfter">
    /// How long a session that answered is taken to still stand without asking again (default one second: the outbox asks
    /// on every wake). A lost connection, and the roles it held, is noticed within this time.
    /// </param>
    public PostgresInstance(PostgresDatabase db, string? id = null, TimeSpan? recheckAfter = null)
    {
        _db = db;
        _recheckAfter = recheckAfter ?? TimeSpan.FromSeconds(1);
        Id = string.IsNullOrWhiteSpace(id) ? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}" : id;
    }

    public string Id { get; }

    /// <summary>Opens the instance's own connection (again, after it was lost) and takes its presence lock.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureSessionAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Whether the instance <paramref name="instanceId"/> is running: its presence lock is held. This instance counts as
    /// alive. An instance that stopped, crashed or lost its connection is not.
    /// </summary>
    public async Task<bool> IsAliveAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (instanceId == Id)
        {
            return true;
        }

        // Unpooled: a probe that took the lock releases it at once, and nothing of the probe's session may outlive it.
        await using var connection = await _db.OpenUnpooledAsync(cancellationToken);
        var key = PresenceKey(instanceId);
        await using var probe = new NpgsqlCommand("select pg_try_advisory_lock(@key)", connection);
        probe.Parameters.AddWithValue("key", key);
        if (!(bool)(await probe.ExecuteScalarAsync(cancellationToken))!)
        {
            return true;
        }

        await using var release = new NpgsqlCommand("select pg_advisory_unlock(@key)", connection);
        release.Parameters.AddWithValue("key", key);
        await release.ExecuteScalarAsync(CancellationToken.None);
        return false;
    }

    /// <summary>
    /// Whether this instance leads <paramref name="role"/> (e.g. <c>outbox</c>): true when it held the role already or has
    /// just taken it, false while another live instance holds it. The role is held until this instance stops or its
    /// connection is lost; a lost connection is noticed here, and the roles are then asked for again.
    /// </summary>
    public async Task<bool> TryLeadAsync(string role, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var session = await EnsureSessionAsync(cancellationToken);
            if (_leading.Contains(role))
            {
                return true;
            }

            await using var take = new NpgsqlCommand("select pg_try_advisory_lock(@key)", session);
            take.Parameters.AddWithValue("key", PostgresDatabase.KeyOf("lead:" + role));
            if ((bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                _leading.Add(role);
                return true;
            }

            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc cref="TryLeadAsync"/>
    public async ValueTask<bool> LeadsAsync(string role, CancellationToken cancellationToken = default) => await TryLeadAsync(role, cancellationToken);

    private async Task<NpgsqlConnection> EnsureSessionAsync(CancellationToken cancellationToken)
    {
        // A role is held as long as the session is; the session is asked whether it still stands at most once a second,
        // so a lost connection is noticed within a second and its roles are asked for again.
        if (_session is { } open)
        {
            if (Stopwatch.GetElapsedTime(_sessionCheckedAt) < _recheckAfter)
            {
                return open;
            }

            if (await AliveAsync(open, cancellationToken))
            {
                _sessionCheckedAt = Stopwatch.GetTimestamp();
                return open;
            }
        }

        // First start, or the connection was lost and PostgreSQL freed every lock it held: start over.
        _leading.Clear();
        if (_session is not null)
        {
            await _session.DisposeAsync();
            _session = null;
        }

        var session = await _db.OpenUnpooledAsync(cancellationToken);
        await using (var presence = new NpgsqlCommand("select pg_advisory_lock(@key)", session))
        {
            presence.Parameters.AddWithValue("key", PresenceKey(Id));
            await presence.ExecuteScalarAsync(cancellationToken);
        }

        _session = session;
        _sessionCheckedAt = Stopwatch.GetTimestamp();
        return session;
    }

    private static async Task<bool> AliveAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        try
        {
            await using var ping = new NpgsqlCommand("select 1", session);
            await ping.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    private static long PresenceKey(string instanceId) => PostgresDatabase.KeyOf("instance:" + instanceId);

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            try
            {
                // Released before the connection closes: the server frees a closed session's locks a moment later, and
                // another instance asking in that moment would still find them held.
                await using var release = new NpgsqlCommand("select pg_advisory_unlock_all()", _session);
                await release.ExecuteNonQueryAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone already, and its locks with it.
            }

            await _session.DisposeAsync();
            _session = null;
        }

        _gate.Dispose();
    }
}
