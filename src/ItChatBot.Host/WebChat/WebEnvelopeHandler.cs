using ItChatBot.Core.Conversations;
using ItChatBot.Core.Directory;
using ItChatBot.Core.Storage;

namespace ItChatBot.Host.WebChat;

/// <summary>
/// Handles a stored web chat delivery that was not handled while its request waited: one the service stopped in the middle
/// of (found pending at the next start) or one an operator retried after its handling failed
/// (<c>POST /api/inbox/{platformId}/retry</c>). The body is the request as <see cref="WebChatApi"/> stored it, and the
/// inbound is built from it as the request built it, under the delivery's own platform id and time; its replies go to the
/// conversation, where the page's polling shows them.
/// </summary>
public sealed class WebEnvelopeHandler(ConversationRouter router, IInbox inbox, IDirectory directory) : IEnvelopeHandler
{
    public string Channel => Channels.Web;

    public async Task<bool> HandleAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
    {
        Inbound inbound = envelope.Kind switch
        {
            nameof(InboundMessage) or nameof(InboundCommand) when WebChatApi.ReadStored<SendRequest>(envelope.Body) is { } send =>
                WebChatApi.ToInbound(send, await SenderAsync(send.Person, envelope, cancellationToken), envelope.PlatformId, envelope.ReceivedAt),
            nameof(CardAction) when WebChatApi.ReadStored<ActionRequest>(envelope.Body) is { ActionId: not null, Value: not null } act =>
                WebChatApi.ToInbound(act, await SenderAsync(act.Person, envelope, cancellationToken), envelope.PlatformId, envelope.ReceivedAt),
            _ => throw new InvalidOperationException($"The stored web chat delivery {envelope.PlatformId} ({envelope.Kind}) cannot be read back as a request."),
        };
        return await router.RouteStoredAsync(inbound, envelope, inbox, cancellationToken);
    }

    private async Task<Person> SenderAsync(string? person, InboundEnvelope envelope, CancellationToken cancellationToken) =>
        await WebChatApi.FindPersonAsync(directory, person, cancellationToken)
        ?? throw new InvalidOperationException($"The sender of web chat delivery {envelope.PlatformId} ('{person}') is no longer in the directory.");
}
