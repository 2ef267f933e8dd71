using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.Delivery;

/// <summary>
/// <c>GET /api/outbox/failing?max=</c>, behind the API key middleware: messages that failed at least once and still wait,
/// with the platform's last error and the next attempt. Nothing is ever dropped from the outbox, so a message a channel
/// keeps refusing (the bot removed from a channel, a revoked token) is retried until someone fixes the cause; this is
/// where they see it. Once the cause is fixed, <c>POST /api/outbox/{id}/retry</c> sends one of them at once and
/// <c>POST /api/outbox/retry</c> all of them, instead of waiting for their next attempt (up to an hour for a refusal).
/// <c>GET /api/inbox/failed?max=</c> is the other side: deliveries whose handling failed (the sender was told, with a
/// reference that is in the error), latest first. Once the cause is fixed, <c>POST /api/inbox/{platformId}/retry</c>
/// handles one of them again, as if it had just arrived: the turn's handlers are replay-safe (a ticket its first run
/// opened is found, not opened twice), and its replies go to the conversation it came from;
/// <c>POST /api/inbox/retry?since=</c> does that for every delivery that failed since a given time (after an outage).
/// </summary>
public static class OutboxEndpoints
{
    private const int DefaultMax = 100;
    private const int MaxMax = 1000;

    public static IEndpointRouteBuilder MapOutbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/outbox/failing", FailingAsync);
        app.MapPost("/api/outbox/retry", RetryAllAsync);
        app.MapPost("/api/outbox/{id}/retry", RetryOneAsync);
        app.MapGet("/api/inbox/failed", FailedAsync);
        app.MapPost("/api/inbox/retry", RetryDeliveriesAsync);
        app.MapPost("/api/inbox/{platformId}/retry", RetryDeliveryAsync);
        return app;
    }

    /// <summary>
    /// Every delivery whose handling failed at or after <c>since</c> (at most <see cref="MaxMax"/> a call, the latest
    /// failures first), handled again as <see cref="RetryDeliveryAsync"/> handles one: after an outage, what it failed.
    /// <c>since</c> is required, so that a retry after one outage does not also run requests that failed long before.
    /// </summary>
    private static async Task<IResult> RetryDeliveriesAsync(string? since, IInbox inbox, InboundQueue queue, ILoggerFactory loggers, CancellationToken ct)
    {
        const string Form = "POST /api/inbox/retry?since=2026-12-06T10:00:00Z";
        if (string.IsNullOrWhiteSpace(since))
        {
            return TypedResults.Problem($"since is required: the earliest failure to retry, as an ISO 8601 time with its offset ({Form}).", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var from))
        {
            return TypedResults.Problem($"since must be an ISO 8601 time (got '{since}'): {Form}", statusCode: StatusCodes.Status400BadRequest);
        }

        var failed = await inbox.FailedAsync(MaxMax, ct);
        var retried = new List<string>();
        var notQueued = 0;
        foreach (var envelope in failed.Where(e => e.ProcessedAt >= from))
        {
            if (await inbox.ReopenAsync(envelope.PlatformId, ct) is { } reopened)
            {
                retried.Add(reopened.PlatformId);
                notQueued += queue.TryEnqueue(reopened) ? 0 : 1;
            }
        }

        loggers.CreateLogger(typeof(OutboxEndpoints)).LogInformation(
            "{Count} failed deliveries since {Since} were reopened by an operator's retry ({NotQueued} left for the next start)", retried.Count, from, notQueued);
        return TypedResults.Accepted((string?)null, new
        {
            retried = retried.Count,
            platformIds = retried,
            notQueued,
            more = failed.Count == MaxMax && failed.All(e => e.ProcessedAt >= from),
        });
    }

    private static async Task<IResult> RetryDeliveryAsync(string platformId, IInbox inbox, InboundQueue queue, ILoggerFactory loggers, CancellationToken ct)
    {
        // Routing leaves an escaped slash escaped (a Teams conversation id may hold one); nothing else is decoded twice.
        platformId = platformId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (await inbox.ReopenAsync(platformId, ct) is { } reopened)
        {
            var queued = queue.TryEnqueue(reopened);
            loggers.CreateLogger(typeof(OutboxEndpoints)).LogInformation("Delivery {PlatformId} was reopened by an operator's retry (queued: {Queued})", platformId, queued);
            return TypedResults.Accepted((string?)null, new
            {
                platformId,
                queued,
                detail = queued
                    ? "Pending again and queued: it is handled as if it had just arrived, and its replies go to the conversation it came from."
                    : "Pending again, but the processing queue is full: it is handled at the next start of this instance.",
            });
        }

        return await inbox.FindAsync(platformId, ct) switch
        {
            null => TypedResults.Problem(
                $"No delivery '{platformId}'. GET /api/inbox/failed lists the platform ids of those whose handling failed.",
                statusCode: StatusCodes.Status404NotFound),
            { ProcessedAt: null } => TypedResults.Problem(
                $"Delivery '{platformId}' is waiting to be handled already; there is nothing to retry.",
                statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Problem(
                $"Delivery '{platformId}' was handled without an error; only a failed one is retried (GET /api/inbox/failed lists them).",
                statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static async Task<IResult> RetryAllAsync(IOutbox outbox, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var due = await outbox.RetryNowAsync(null, clock.GetUtcNow(), ct);
        signal.Notify();
        return TypedResults.Ok(new { retried = due });
    }

    private static async Task<IResult> RetryOneAsync(string id, IOutbox outbox, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (await outbox.GetMessageAsync(id, ct) is not { } entry)
        {
            return TypedResults.Problem($"No outbox message '{id}'. GET /api/outbox/failing lists the ids of those still waiting.", statusCode: StatusCodes.Status404NotFound);
        }

        if (entry.State != OutboxState.Pending)
        {
            return TypedResults.Problem($"Outbox message '{id}' was already sent (as {entry.PlatformMessageId}); there is nothing to retry.", statusCode: StatusCodes.Status409Conflict);
        }

        var due = await outbox.RetryNowAsync(id, clock.GetUtcNow(), ct);
        signal.Notify();
        return TypedResults.Ok(new { retried = due });
    }

    /// <summary>The <c>max</c> of a listing (default 100, at most 1,000), or the 400 that says what it must be.</summary>
    private static IResult? Limit(string? max, string path, out int limit)
    {
        limit = DefaultMax;
        if (max is not null && (!int.TryParse(max, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxMax))
        {
            return TypedResults.Problem(
                $"max must be a whole number from 1 to {MaxMax} (got '{max}'): GET {path}?max=100",
                statusCode: StatusCodes.Status400BadRequest);
        }

        return null;
    }

    private static async Task<IResult> FailedAsync(string? max, IInbox inbox, CancellationToken ct)
    {
        if (Limit(max, "/api/inbox/failed", out var limit) is { } problem)
        {
            return problem;
        }

        var failed = await inbox.FailedAsync(limit, ct);
        return TypedResults.Ok(new
        {
            count = failed.Count,
            deliveries = failed.Select(e => new
            {
                platformId = e.PlatformId,
                channel = e.Channel,
                kind = e.Kind,
                receivedAt = e.ReceivedAt,
                processedAt = e.ProcessedAt,
                error = e.Error,
            }),
        });
    }

    private static async Task<IResult> FailingAsync(string? max, IOutbox outbox, CancellationToken ct)
    {
        if (Limit(max, "/api/outbox/failing", out var limit) is { } problem)
        {
            return problem;
        }

        var failing = await outbox.FailingAsync(limit, ct);
        return TypedResults.Ok(new
        {
            count = failing.Count,
            messages = failing.Select(e => new
            {
                id = e.Message.Id,
                channel = e.Message.Conversation.Channel,
                conversation = e.Message.Conversation.ConversationId,
                thread = e.Message.Conversation.ThreadId,
                ticket = e.Message.Ticket,
                title = e.Message.Card.Title,
                queuedAt = e.Message.CreatedAt,
                attempts = e.Attempts,
                lastError = e.LastError,
                nextAttemptAt = e.NextAttemptAt,
            }),
        });
    }
}
