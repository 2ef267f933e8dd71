using ItChatBot.Core.Cards;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using Microsoft.Extensions.Logging;

namespace ItChatBot.Core.Conversations;

/// <summary>
/// The one entry point every channel uses: resolves the sender, runs the middleware pipeline, dispatches
/// to the handler for the inbound's kind, turns rule violations into an ephemeral answer, and enqueues the
/// turn's replies in the outbox.
/// </summary>
public sealed partial class ConversationRouter
{
    private readonly IReadOnlyList<IMessageHandler> _messageHandlers;
    private readonly ILookup<string, ICommandVerb> _verbs;
    private readonly Dictionary<string, ICommandFallback> _fallbacks;
    private readonly Dictionary<string, ICardActionHandler> _actionHandlers;
    private readonly IReadOnlyList<IRouterMiddleware> _middleware;
    private readonly PersonResolver _people;
    private readonly ITicketStore _tickets;
    private readonly IOutbox _outbox;
    private readonly OutboxSignal _outboxSignal;
    private readonly TimeProvider _clock;
    private readonly ILogger<ConversationRouter> _logger;

    public ConversationRouter(
        IEnumerable<IMessageHandler> messageHandlers,
        IEnumerable<ICommandVerb> verbs,
        IEnumerable<ICommandFallback> fallbacks,
        IEnumerable<ICardActionHandler> actionHandlers,
        IEnumerable<IRouterMiddleware> middleware,
        PersonResolver people,
        ITicketStore tickets,
        IOutbox outbox,
        OutboxSignal outboxSignal,
        TimeProvider clock,
        ILogger<ConversationRouter> logger)
    {
        _messageHandlers = [.. messageHandlers.OrderBy(h => h.Order)];
        _verbs = verbs.ToLookup(v => v.Command, StringComparer.OrdinalIgnoreCase);
        _fallbacks = fallbacks.ToDictionary(f => f.Command, StringComparer.OrdinalIgnoreCase);
        _actionHandlers = actionHandlers.ToDictionary(h => h.Prefix, StringComparer.OrdinalIgnoreCase);
        _middleware = [.. middleware.OrderBy(m => m.Order)];
        _people = people;
        _tickets = tickets;
        _outbox = outbox;
        _outboxSignal = outboxSignal;
        _clock = clock;
        _logger = logger;
    }

    public IEnumerable<string> Commands => _verbs.Select(g => g.Key).Union(_fallbacks.Keys, StringComparer.OrdinalIgnoreCase);

    public bool IsKnownCommand(string name) => _verbs.Contains(name) || _fallbacks.ContainsKey(name);

    public bool IsKnownAction(string actionId) =>
        FindActionHandler(actionId) is { } handler && handler.Actions.Contains(actionId, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ICommandVerb> VerbsOf(string command) => [.. _verbs[command]];

    /// <summary>Handles one inbound and returns its turn, whose replies (and other messages) are already in the outbox.</summary>
    public Task<Turn> RouteAsync(Inbound inbound, CancellationToken cancellationToken = default) =>
        RouteAsync(inbound, accepted: null, cancellationToken);

    /// <summary>
    /// Handles one inbound and returns its turn, whose replies are already in the outbox. When the inbound's
    /// envelope was accepted into <paramref name="accepted"/>, it is marked processed in the same write that
    /// enqueues the replies. The inbound's text is normalised first (<see cref="ChatText"/>), for every channel alike.
    /// </summary>
    public async Task<Turn> RouteAsync(Inbound inbound, IInbox? accepted, CancellationToken cancellationToken)
    {
        inbound = ChatText.Normalise(inbound);
        var person = await _people.ResolveAsync(inbound.Conversation.Channel, inbound.FromPlatformUserId, cancellationToken);
        var turn = new Turn(inbound, person, _clock);
        string? failure = null;
        try
        {
            await RunPipelineAsync(turn, 0, cancellationToken);
        }
        catch (UsageException ex)
        {
            turn.ReplyEphemeral(Problem(ex.Problem, $"Use: {ex.Usage}"));
        }
        catch (DomainException ex)
        {
            turn.ReplyEphemeral(Problem(ex.Message, null));
        }
        catch (ConcurrencyException ex)
        {
            turn.ReplyEphemeral(Problem($"{ex.Ticket} changed while your request was handled; nothing was changed. Please try again.", null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var reference = Guid.NewGuid().ToString("N")[..8];
            Log.HandlerFailed(_logger, ex, inbound.PlatformId, reference);
            // Recorded with the envelope (the inbox keeps it, processed, with this error) so a delivery that failed is told
            // from one that was handled; the sender is told the reference that finds both it and the logged exception.
            failure = NulCharacter.Remove($"reference {reference}: {ex.GetType().Name}: {ex.Message}");
            turn.ReplyEphemeral(Problem(
                $"Something went wrong on our side (reference {reference}), so this was not done. What you sent is kept with that reference: " +
                "please try again, and if it fails again, give the reference to your support team.", null));
        }

        var outbound = turn.Replies;
        if (accepted is not null)
        {
            await accepted.CompleteAsync(inbound.PlatformId, outbound, failure, cancellationToken);
        }
        else if (outbound.Count > 0)
        {
            await _outbox.EnqueueAsync(outbound, cancellationToken);
        }

        if (outbound.Count > 0)
        {
            _outboxSignal.Notify();
        }

        return turn;
    }

    /// <summary>
    /// Handles the inbound read from a stored envelope. When the inbound carries the envelope's platform id (its entry
    /// in <paramref name="inbox"/>), the envelope is marked processed in the write that enqueues the replies, and the
    /// answer is true; otherwise the caller still has to mark it.
    /// </summary>
    public async Task<bool> RouteStoredAsync(Inbound inbound, InboundEnvelope envelope, IInbox inbox, CancellationToken cancellationToken)
    {
        var completes = string.Equals(inbound.PlatformId, envelope.PlatformId, StringComparison.Ordinal);
        await RouteAsync(inbound, completes ? inbox : null, cancellationToken);
        return completes;
    }

    private static Card Problem(string text, string? context) => new() { Title = "That didn't work", Text = text, Context = context };

    private Task RunPipelineAsync(Turn turn, int index, CancellationToken cancellationToken) =>
        index < _middleware.Count
            ? _middleware[index].InvokeAsync(turn, () => RunPipelineAsync(turn, index + 1, cancellationToken), cancellationToken)
            : DispatchAsync(turn, cancellationToken);

    private Task DispatchAsync(Turn turn, CancellationToken cancellationToken) => turn.Inbound switch
    {
        InboundMessage message => DispatchMessageAsync(turn, message, cancellationToken),
        InboundCommand command => DispatchCommandAsync(turn, command, cancellationToken),
        CardAction action => DispatchActionAsync(turn, action, cancellationToken),
        _ => throw new DomainException($"This kind of message ({turn.Inbound.GetType().Name}) is not handled."),
    };

    private async Task DispatchMessageAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken)
    {
        foreach (var handler in _messageHandlers)
        {
            if (await handler.TryHandleAsync(turn, message, cancellationToken))
            {
                return;
            }
        }

        throw new DomainException("Nothing here understood that message.");
    }

    private async Task DispatchCommandAsync(Turn turn, InboundCommand command, CancellationToken cancellationToken)
    {
        var name = command.Name.TrimStart('/').ToLowerInvariant();
        if (!IsKnownCommand(name))
        {
            throw new UsageException($"There is no command /{name}.", string.Join(" or ", Commands.Select(c => $"/{c} help")));
        }

        var text = command.Text.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verbWord = (space < 0 ? text : text[..space]).ToLowerInvariant();
        var arguments = space < 0 ? "" : text[(space + 1)..].Trim();

        if (verbWord is "help" or "")
        {
            if (verbWord == "" && _fallbacks.TryGetValue(name, out var emptyFallback))
            {
                await emptyFallback.HandleAsync(turn, "", cancellationToken);
                return;
            }

            turn.ReplyEphemeral(Help(name, arguments, turn.Person));
            return;
        }

        var verb = _verbs[name].FirstOrDefault(v => string.Equals(v.Verb, verbWord, StringComparison.OrdinalIgnoreCase));
        if (verb is not null)
        {
            if (arguments.Equals("help", StringComparison.OrdinalIgnoreCase))
            {
                turn.ReplyEphemeral(new Card { Title = $"/{name} {verb.Verb}", Text = verb.Summary, Context = $"Use: {verb.Usage}" });
                return;
            }

            await verb.HandleAsync(turn, arguments, cancellationToken);
            return;
        }

        if (_fallbacks.TryGetValue(name, out var fallback))
        {
            // "/it reply IT-42 …" by someone other than IT-42's requester is a mistyped command, not a new request.
            // The store is read only for a command that would be refused, not for every request.
            if (arguments.Length == 0 && MistypedVerb.LoneRefusal(name, verbWord, [.. _verbs[name]], turn.Person) is { } lone)
            {
                // "/it close" alone opened a ticket named "close".
                throw lone;
            }

            if (MistypedVerb.KeyFirst(arguments) is { } key
                && MistypedVerb.Refusal(name, verbWord, key, [.. _verbs[name]], turn.Person) is { } refusal
                && (await _tickets.GetAsync(key, cancellationToken))?.Requester != turn.Person.Id)
            {
                throw refusal;
            }

            await fallback.HandleAsync(turn, text, cancellationToken);
            return;
        }

        throw new UsageException($"'{verbWord}' is not a /{name} verb.", $"/{name} help");
    }

    /// <summary>
    /// Help for a command: one verb when <paramref name="about"/> names it (any verb), else the verbs meant for
    /// <paramref name="person"/> (<see cref="ICommandVerb.Audience"/>), so an employee is not shown the agents' verbs.
    /// </summary>
    private Card Help(string command, string about, Person person)
    {
        var verbs = _verbs[command].OrderBy(v => v.Verb, StringComparer.Ordinal).ToList();
        var match = verbs.FirstOrDefault(v => string.Equals(v.Verb, about, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return new Card { Title = $"/{command} {match.Verb}", Text = match.Summary, Context = $"Use: {match.Usage}" };
        }

        var theirs = verbs.Where(v => v.Audience.Count == 0 || person.HasRole(Roles.Admin) || v.Audience.Any(person.HasRole)).ToList();
        if (theirs.Count == 0)
        {
            var audience = verbs.SelectMany(v => v.Audience).Append(Roles.Admin).Distinct(StringComparer.Ordinal).Select(r => $"{r}s");
            return new Card { Title = $"/{command} help", Text = $"The /{command} commands are for {string.Join(", ", audience)}." };
        }

        var rows = theirs.Select(v => (IReadOnlyList<string>)[v.Usage, v.Summary]).ToList();
        var intro = _fallbacks.ContainsKey(command) && command == "it"
            ? "Type `/it` followed by what you need to open a request, or one of these:"
            : $"The /{command} commands:";
        return new Card { Title = $"/{command} help", Text = intro, Table = new CardTable(["command", "what it does"], rows) };
    }

    private async Task DispatchActionAsync(Turn turn, CardAction action, CancellationToken cancellationToken)
    {
        var handler = IsKnownAction(action.ActionId) ? FindActionHandler(action.ActionId) : null;
        if (handler is null)
        {
            throw new DomainException($"'{action.ActionId}' is not a button this service knows.");
        }

        await handler.HandleAsync(turn, action, cancellationToken);
    }

    private ICardActionHandler? FindActionHandler(string actionId)
    {
        var dot = actionId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _actionHandlers.TryGetValue(actionId[..dot], out var handler) ? handler : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Handling inbound {PlatformId} failed (reference {Reference})")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string platformId, string reference);
    }
}
