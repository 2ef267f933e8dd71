using System.Text.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ItChatBot.Host.WebChat;

/// <summary>
/// The local web chat: a person picked from the directory talks to the bot through the same router as
/// Slack and Teams. A message is handled while the request waits, and its replies come back in the response;
/// the page also polls for messages that arrive later (approvals, queue updates).
/// Whoever uses it says who they are (there are no credentials in the embedded default), so it answers only requests
/// from this machine: once the host is reachable for Slack or Teams, nobody elsewhere can act, or approve, as someone else.
/// </summary>
public static class WebChatApi
{
    public const int MaxTextLength = 4000;

    /// <summary>Room for the longest text even with every character escaped, and a card's inputs; far below Kestrel's 30 MB.</summary>
    public const int MaxBodyBytes = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder app)
    {
        var chat = app.MapGroup("/chat").AddEndpointFilter(async (context, next) =>
            Api.ApiKeyMiddleware.IsLoopback(context.HttpContext)
                ? await next(context)
                : TypedResults.Problem(
                    "The web chat lets its user say who they are, so it answers only on this machine (loopback). From elsewhere, use Slack or Teams.",
                    statusCode: StatusCodes.Status403Forbidden));
        chat.MapGet("/people", ListPeopleAsync);
        chat.MapPost("/send", SendAsync);
        chat.MapPost("/actions", ActAsync);
        chat.MapGet("/messages", MessagesAsync);
        return app;
    }

    /// <summary>What every person's own conversation with the bot begins with.</summary>
    public const string DirectPrefix = "dm-";

    public static string DirectConversation(string personId) => DirectPrefix + personId;

    private static async Task<Ok<PersonView[]>> ListPeopleAsync(IDirectory directory, SupportTeams teams, CancellationToken ct) =>
        TypedResults.Ok((await directory.ListAsync(ct))
            .Where(p => !p.Id.Contains(':', StringComparison.Ordinal))
            .Select(p => new PersonView(p.Id, p.DisplayName, p.Title, p.Roles, p.Teams, p.ManagerId, ConversationsOf(p, teams)))
            .ToArray());

    /// <summary>A person's direct conversation with the bot, and the queue of each support team they work in.</summary>
    private static ConversationView[] ConversationsOf(Person person, SupportTeams teams) =>
    [
        new(DirectConversation(person.Id), "Direct messages with the bot"),
        .. teams.All
            .Where(t => person.Teams.Contains(t.Name, StringComparer.OrdinalIgnoreCase) && t.QueueChannels.ContainsKey(Channels.Web))
            .Select(t => new ConversationView(t.QueueChannels[Channels.Web], $"{t.Name} queue")),
    ];

    private static async Task<Results<Ok<ChatResponse>, ProblemHttpResult>> SendAsync(
        HttpRequest http, IDirectory directory, IInbox inbox, ConversationRouter router, PendingSweep sweep, TimeProvider clock, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync<SendRequest>(http, ct);
        if (request is null)
        {
            return problem!;
        }

        if (NulInId(("person", request.Person), ("conversation", request.Conversation), ("thread", request.Thread), ("clientMessageId", request.ClientMessageId)) is { } nul)
        {
            return nul;
        }

        var text = request.Text?.Trim() ?? "";
        if (text.Length == 0)
        {
            return BadRequest("'text' is required: what you want to say to the bot.");
        }

        if (text.Length > MaxTextLength)
        {
            return BadRequest($"'text' is {text.Length} characters; the most is {MaxTextLength}.");
        }

        if (await FindPersonAsync(directory, request.Person, ct) is not { } person)
        {
            return BadRequest($"'person' must be the id of someone in the local directory (got '{request.Person}'); GET /chat/people lists them.");
        }

        var inbound = ToInbound(request, person, $"web:{Given(request.ClientMessageId) ?? NewId.Next()}", clock.GetUtcNow());
        return await RouteAsync(inbound, JsonSerializer.Serialize(request, Json), inbox, router, sweep, ct);
    }

    /// <summary>A message or, for text that starts with <c>/</c>, a command, from a request already checked.</summary>
    internal static Inbound ToInbound(SendRequest request, Person person, string platformId, DateTimeOffset receivedAt)
    {
        var text = request.Text?.Trim() ?? "";
        var conversation = new ConversationRef(Channels.Web, Given(request.Conversation) ?? DirectConversation(person.Id), Given(request.Thread));
        return text.StartsWith('/')
            ? new InboundCommand
            {
                PlatformId = platformId,
                Conversation = conversation,
                FromPlatformUserId = person.Id,
                ReceivedAt = receivedAt,
                MessageId = platformId,
                Name = text[1..].Split(' ', 2)[0],
                Text = text.Contains(' ', StringComparison.Ordinal) ? text[(text.IndexOf(' ', StringComparison.Ordinal) + 1)..] : "",
            }
            : new InboundMessage
            {
                PlatformId = platformId,
                Conversation = conversation,
                FromPlatformUserId = person.Id,
                ReceivedAt = receivedAt,
                MessageId = platformId,
                Text = text,
            };
    }

    /// <summary>A button press, from a request already checked.</summary>
    internal static CardAction ToInbound(ActionRequest request, Person person, string platformId, DateTimeOffset receivedAt) => new()
    {
        PlatformId = platformId,
        Conversation = new ConversationRef(Channels.Web, Given(request.Conversation) ?? DirectConversation(person.Id), Given(request.Thread)),
        FromPlatformUserId = person.Id,
        ReceivedAt = receivedAt,
        ActionId = request.ActionId!,
        Value = request.Value!,
        Inputs = request.Inputs ?? [],
    };

    /// <summary>How a stored web chat delivery's body reads back (the request, as <see cref="RouteAsync"/> stored it).</summary>
    internal static T? ReadStored<T>(string body) => JsonSerializer.Deserialize<T>(body, Json);

    private static async Task<Results<Ok<ChatResponse>, ProblemHttpResult>> ActAsync(
        HttpRequest http, IDirectory directory, IInbox inbox, ConversationRouter router, PendingSweep sweep, TimeProvider clock, CancellationToken ct)
    {
        var (request, problem) = await ReadAsync<ActionRequest>(http, ct);
        if (request is null)
        {
            return problem!;
        }

        if (NulInId(("person", request.Person), ("conversation", request.Conversation), ("thread", request.Thread), ("clientMessageId", request.ClientMessageId)) is { } nul)
        {
            return nul;
        }

        if (string.IsNullOrWhiteSpace(request.ActionId) || !router.IsKnownAction(request.ActionId))
        {
            return BadRequest($"'actionId' must name a button this service knows (got '{request.ActionId}').");
        }

        if (string.IsNullOrEmpty(request.Value))
        {
            return BadRequest("'value' is required: the value carried by the button.");
        }

        if (await FindPersonAsync(directory, request.Person, ct) is not { } person)
        {
            return BadRequest($"'person' must be the id of someone in the local directory (got '{request.Person}').");
        }

        var inbound = ToInbound(request, person, $"web:{Given(request.ClientMessageId) ?? NewId.Next()}", clock.GetUtcNow());
        return await RouteAsync(inbound, JsonSerializer.Serialize(request, Json), inbox, router, sweep, ct);
    }

    /// <summary>
    /// Handles the request, and answers with what it said: the messages the turn wrote in the sender's conversation
    /// besides its replies (a workflow's receipt and its steps' messages, which automation writes itself), then the
    /// replies. Before, a request that started a workflow was answered with no message at all; only a poll of
    /// <c>/chat/messages</c> showed them. Nothing is read for it: the writes report their messages to the turn's watch.
    /// </summary>
    private static async Task<Results<Ok<ChatResponse>, ProblemHttpResult>> RouteAsync(
        Inbound inbound, string body, IInbox inbox, ConversationRouter router, PendingSweep sweep, CancellationToken ct)
    {
        // The start-up sweep handles what it finds pending (WebEnvelopeHandler for this channel): stored before its read,
        // this message would be handled twice (PendingSweep).
        await sweep.Read.WaitAsync(ct);
        if (!await inbox.TryAcceptAsync(new InboundEnvelope(inbound.PlatformId, Channels.Web, inbound.GetType().Name, body, inbound.ReceivedAt), ct))
        {
            return TypedResults.Ok(new ChatResponse(Duplicate: true, []));
        }

        Turn turn;
        IReadOnlyList<OutboundMessage> written;
        using (var watch = AppendWatch.Begin())
        {
            turn = await router.RouteAsync(inbound, inbox, ct);
            written = watch.Messages;
        }

        var person = inbound.FromPlatformUserId;
        var replies = turn.Replies.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var own = written
            .Where(m => m.Conversation.Channel == Channels.Web && m.Conversation.ConversationId == inbound.Conversation.ConversationId)
            .Where(m => (m.EphemeralTo is null || m.EphemeralTo == person) && !replies.Contains(m.Id))
            .DistinctBy(m => m.Id, StringComparer.Ordinal);
        return TypedResults.Ok(new ChatResponse(false, [.. own.Concat(turn.Replies).Select(m => ToView(m, 0))]));
    }

    private static async Task<Results<Ok<ChatResponse>, ProblemHttpResult>> MessagesAsync(
        string? conversation, string? person, string? after, IOutbox outbox, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(conversation) || string.IsNullOrWhiteSpace(person))
        {
            return BadRequest("'conversation' and 'person' are required query parameters.");
        }

        if (NulInId(("conversation", conversation), ("person", person)) is { } nul)
        {
            return nul;
        }

        // Taken as text and parsed here: bound as a number, a wrong value got a bare 400 that said nothing.
        var since = 0L;
        if (!string.IsNullOrEmpty(after)
            && !long.TryParse(after, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out since))
        {
            return BadRequest($"'after' must be a whole number, the seq of the last message seen (got '{after}').");
        }

        var entries = await outbox.ListConversationAsync(Channels.Web, conversation, since, ct);
        return TypedResults.Ok(new ChatResponse(false, [.. entries
            .Where(e => e.Message.EphemeralTo is null || e.Message.EphemeralTo == person)
            .Select(e => ToView(e.Message, e.Seq))]));
    }

    private static ChatMessage ToView(OutboundMessage m, long seq) => new(
        m.Id, seq, m.Conversation.ConversationId, m.Conversation.ThreadId, m.UpdateOf, m.EphemeralTo is not null, m.Ticket,
        m.Card.Title, m.Card.ToPlainText(), HtmlCardRenderer.Render(m.Card, m.File));

    /// <summary>
    /// A 400 for an id that holds the NUL character (U+0000). The text of a message loses it in the router
    /// (<see cref="ChatText"/>), but an id is not text to clean: one edited would name something else, and the PostgreSQL
    /// store refuses it where the LiteDB file keeps it, so it is refused here, the same on both.
    /// </summary>
    private static ProblemHttpResult? NulInId(params (string Name, string? Value)[] ids) =>
        ids.FirstOrDefault(id => NulCharacter.In(id.Value)) is { Name: { } name }
            ? BadRequest($"'{name}' contains {NulCharacter.Name}, which no id holds; send the id without it.")
            : null;

    /// <summary>
    /// An optional field sent empty is not given: an empty client id would make every later message a duplicate of the
    /// first, an empty conversation would answer where nobody looks.
    /// </summary>
    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The person a request names (also a stored one, read back); null when the directory does not have them.</summary>
    internal static async Task<Person?> FindPersonAsync(IDirectory directory, string? id, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(id) ? null : await directory.FindAsync(id, ct);

    private static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest http, CancellationToken ct)
        where T : class
    {
        if (!http.HasJsonContentType())
        {
            return (null, BadRequest("The body must be JSON (Content-Type: application/json)."));
        }

        var tooLarge = $"The body is larger than a chat message can be; the most is {MaxBodyBytes} bytes.";
        if (http.ContentLength > MaxBodyBytes)
        {
            return (null, TypedResults.Problem(detail: tooLarge, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large"));
        }

        // Read up to the limit, not past it: a chunked body says nothing of its length up front.
        using var body = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return (null, TypedResults.Problem(detail: tooLarge, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large"));
            }

            body.Write(chunk, 0, read);
        }

        body.Position = 0;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(body, Json, ct) is { } value
                ? (value, null)
                : (null, BadRequest("The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"The body is not valid JSON: {ex.Message}"));
        }
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
}
