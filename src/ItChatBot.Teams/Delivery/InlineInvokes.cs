using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Teams.Delivery;

/// <summary>
/// Action.Execute is answered in the invoke's HTTP response, so the turn's first reply to the clicked card's
/// conversation must not also be posted as a new message. The endpoint registers the invoke before routing;
/// <see cref="InlineInvokeMiddleware"/> attaches the turn as soon as the router creates it, which is before the
/// router enqueues the replies, so the sender can always tell an inline reply from one it must post. An
/// inline reply is "sent" as the card's own activity id, so a later update of it PUTs that card.
/// Only the person who clicked sees an invoke response: in a channel or group chat the sender still delivers
/// the reply to everyone (see <see cref="InlineReply.SharedConversation"/>).
/// </summary>
public sealed class InlineInvokes
{
    private readonly ConcurrentDictionary<string, Entry> _byInbound = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _byTurnReply = new(StringComparer.Ordinal);

    public void Begin(string inboundPlatformId, string? cardActivityId, bool sharedConversation) =>
        _byInbound[inboundPlatformId] = new Entry(new InlineReply(cardActivityId, sharedConversation));

    internal void Attach(Turn turn)
    {
        if (_byInbound.TryGetValue(turn.Inbound.PlatformId, out var entry))
        {
            entry.Turn = turn;
        }
    }

    /// <summary>The reply the invoke response carries (null if the turn produced none); forgets the invoke.</summary>
    public OutboundMessage? End(string inboundPlatformId)
    {
        if (!_byInbound.TryGetValue(inboundPlatformId, out var entry))
        {
            return null;
        }

        // Known by reply id before the live entry goes, so the dispatcher never sees neither.
        var inline = entry.Turn is null ? null : Choose(entry.Turn);
        if (inline is not null)
        {
            _byTurnReply[inline.Id] = entry;
        }

        _byInbound.TryRemove(inboundPlatformId, out _);
        return inline;
    }

    /// <summary>True (with the clicked card and where it was) when this outbound message already went back in an invoke response.</summary>
    public bool TryTakeInline(OutboundMessage message, [NotNullWhen(true)] out InlineReply? shown)
    {
        shown = null;
        if (_byTurnReply.TryRemove(message.Id, out var done))
        {
            shown = done.Shown;
            return true;
        }

        // The dispatcher may reach the reply before the endpoint has finished: decide from the live turn.
        foreach (var entry in _byInbound.Values)
        {
            if (entry.Turn is { } turn && Choose(turn)?.Id == message.Id)
            {
                shown = entry.Shown;
                return true;
            }
        }

        return false;
    }

    private static OutboundMessage? Choose(Turn turn) =>
        turn.Replies.FirstOrDefault(r => r.Conversation.Channel == Channels.Teams
            && r.Conversation.ConversationId == turn.Inbound.Conversation.ConversationId);

    private sealed class Entry(InlineReply shown)
    {
        public InlineReply Shown { get; } = shown;

        public Turn? Turn { get; set; }
    }
}

/// <param name="CardActivityId">The clicked card's activity id (the invoke's <c>replyToId</c>), which the invoke response replaced for the clicker.</param>
/// <param name="SharedConversation">A channel or group chat, where others see the conversation but not the invoke response.</param>
public sealed record InlineReply(string? CardActivityId, bool SharedConversation);

/// <summary>Runs first in the router's pipeline, so an inline invoke's turn is known before its replies are enqueued.</summary>
public sealed class InlineInvokeMiddleware(InlineInvokes invokes) : IRouterMiddleware
{
    public int Order => int.MinValue;

    public Task InvokeAsync(Turn turn, Func<Task> next, CancellationToken cancellationToken)
    {
        invokes.Attach(turn);
        return next();
    }
}
