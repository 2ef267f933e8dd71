using ItChatBot.Core.Conversations;
using ItChatBot.Storage.Postgres;
using Npgsql;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// Where several instances share a PostgreSQL store, a message one instance queues is sent by whichever instance leads the
/// outbox. Every outbox insert notifies <see cref="Rows.OutboxChannel"/> at commit; this service listens on a connection
/// of its own and wakes this instance's <see cref="OutboxDispatcher"/>, so a reply queued on another instance goes out at
/// once rather than at the dispatcher's next once-a-second look. A lost connection is opened again after a pause; what
/// was queued meanwhile is found by that once-a-second look.
/// </summary>
public sealed partial class OutboxNotifications(PostgresDatabase db, OutboxSignal signal, ILogger<OutboxNotifications> logger) : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenUnpooledAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == Rows.OutboxChannel)
                    {
                        signal.Notify();
                    }
                };
                await PostgresDatabase.Execute(connection, null, $"listen {Rows.OutboxChannel}", stoppingToken);
                // Messages queued before the listen was in place.
                signal.Notify();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                Log.Lost(logger, ex);
            }

            try
            {
                // Real time, as the dispatcher's own once-a-second look: a connection comes back on the wall clock.
                await Task.Delay(Reconnect, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Listening for outbox notifications failed; listening again shortly (the once-a-second look still sends)")]
        public static partial void Lost(ILogger logger, Exception exception);
    }
}
