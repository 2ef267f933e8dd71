using ItChatBot.Core.Conversations;

namespace ItChatBot.Host.Delivery;

/// <summary>The local web chat reads its messages straight from the outbox, so delivering one is only marking it sent.</summary>
public sealed class WebChannelSender : IChannelSender
{
    public string Channel => Channels.Web;

    public Task<string> SendAsync(OutboundMessage message, string? updatePlatformMessageId, CancellationToken cancellationToken) =>
        Task.FromResult(message.Id);
}
