using System.Collections.Concurrent;
using ItChatBot.Core.Conversations;

namespace ItChatBot.Teams.Delivery;

/// <summary>
/// Action.Execute is answered in the invoke's HTTP response, so the turn's first reply to the clicked card's
/// conversation must not also be posted as a new message. The endpoint registers the invoke before routing;
/// <see cref="InlineInvokeMiddleware"/> attaches the turn as soon as the router creates it, which is before the
/// router enqueues the replies, so the sender can always tell an inline reply from one it must post. An
/// inline reply is "sent" as the card's own activity id, so a later update of it PUTs that card.
/// </summary>
public sealed class InlineInvokes
{
    private readonly ConcurrentDictionary<string, Entry> _byInbound = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _byTurnReply = new(StringComparer.Ordinal);

    public void Begin(string inboundPlatformId, string? cardActivityId) => _byInbound[inboundPlatformId] = new Entry(cardActivityId);

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

    /// <summary>True (with the card's activity id) when this outbound message already went back in an invoke response.</summary>
    public bool TryTakeInline(OutboundMessage message, out string? cardActivityId)
    {
        cardActivityId = null;
        if (_byTurnReply.TryRemove(message.Id, out var done))
        {
            cardActivityId = done.CardActivityId;
            return true;
        }

        // The dispatcher may reach the reply before the endpoint has finished: decide from the live turn.
        foreach (var entry in _byInbound.Values)
        {
            if (entry.Turn is { } turn && Choose(turn)?.Id == message.Id)
            {
                cardActivityId = entry.CardActivityId;
                return true;
            }
        }

        return false;
    }

    private static OutboundMessage? Choose(Turn turn) =>
        turn.Replies.FirstOrDefault(r => r.Conversation.Channel == Channels.Teams
            && r.Conversation.ConversationId == turn.Inbound.Conversation.ConversationId);

    private sealed class Entry(string? cardActivityId)
    {
        public string? CardActivityId { get; } = cardActivityId;

        public Turn? Turn { get; set; }
    }
}

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
