using ItChatBot.Core.Conversations;

namespace ItChatBot.Automation.Chat;

/// <summary>
/// Where pending requests are kept: <see cref="PendingRequestStore"/> (the LiteDB file) or
/// <see cref="PostgresPendingRequestStore"/> (PostgreSQL, shared by several instances).
/// </summary>
public interface IPendingRequestStore
{
    Task AddAsync(PendingRequest request);

    Task<PendingRequest?> GetAsync(string id);

    /// <summary>
    /// The latest knowledge-base article offered to <paramref name="person"/> in <paramref name="thread"/> that neither button
    /// answered, or that <paramref name="delivery"/> itself answered (its turn running again after a stop).
    /// </summary>
    Task<PendingRequest?> OpenOfferInAsync(ConversationRef thread, string person, string delivery);

    /// <summary>
    /// Marks the request used by the button press <paramref name="delivery"/> (its platform id); false when another press
    /// used it (a double click, or two people pressing). The same press, run again after a stop, may go on: the stop
    /// may have come before it did what it was pressed for.
    /// </summary>
    Task<bool> TryUseAsync(string id, string delivery);
}
