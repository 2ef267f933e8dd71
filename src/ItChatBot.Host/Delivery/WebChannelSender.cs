using ItChatBot.Core.Conversations;

namespace ItChatBot.Host.Delivery;

/// <summary>The local web chat reads its messages straight from the outbox, so delivering one is only marking it sent.</summary>
public sealed class WebChannelSender : IChannelSender
{
    public string Channel => Channels.Web;

    public Task<string> SendAsync(OutboundMessage message, string? updatePlatformMessageId, CancellationToken cancellationToken) =>
        Task.FromResult(message.Id);

    /// <summary>A person's own conversation with the bot (<see cref="WebChat.WebChatApi.DirectConversation"/>).</summary>
    public Task<bool> IsDirectAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(conversationId.StartsWith(WebChat.WebChatApi.DirectPrefix, StringComparison.Ordinal));
}
