namespace ItChatBot.Core.Conversations;

/// <summary>Handles free text. Handlers are asked in <see cref="Order"/>; the first that returns true owns the message.</summary>
public interface IMessageHandler
{
    int Order { get; }

    Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken);
}

/// <summary>One verb of a command: <c>/it status KEY</c> is <see cref="Command"/> <c>it</c>, <see cref="Verb"/> <c>status</c>.</summary>
public interface ICommandVerb
{
    string Command { get; }

    string Verb { get; }

    /// <summary>The correct form, shown by help and when the arguments are wrong: <c>/it status KEY</c>.</summary>
    string Usage { get; }

    string Summary { get; }

    /// <summary>
    /// Whom help lists the verb for: people holding one of these roles, and admins. Empty (the default): everyone. It
    /// only shapes help; each verb still checks who may use it, and <c>/it help VERB</c> describes any verb.
    /// </summary>
    IReadOnlyList<string> Audience => [];

    Task HandleAsync(Turn turn, string arguments, CancellationToken cancellationToken);
}

/// <summary>What a command does when its first word is no known verb (e.g. <c>/it my laptop is broken</c> opens a request).</summary>
public interface ICommandFallback
{
    string Command { get; }

    Task HandleAsync(Turn turn, string text, CancellationToken cancellationToken);
}

/// <summary>Handles card button presses whose action id starts with <see cref="Prefix"/> and a dot (<c>ticket.claim</c>).</summary>
public interface ICardActionHandler
{
    string Prefix { get; }

    IReadOnlyCollection<string> Actions { get; }

    Task HandleAsync(Turn turn, CardAction action, CancellationToken cancellationToken);
}

/// <summary>A step of the router's pipeline, around the handler (dedupe, person, audit ...).</summary>
public interface IRouterMiddleware
{
    int Order { get; }

    Task InvokeAsync(Turn turn, Func<Task> next, CancellationToken cancellationToken);
}

/// <summary>Resolves a platform user to a person when the directory has no mapping yet (Slack users.info → email).</summary>
public interface IPlatformUserResolver
{
    string Channel { get; }

    Task<Directory.Person?> ResolveAsync(string platformUserId, CancellationToken cancellationToken);
}
