using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Slack.BlockKit;
using ItChatBot.Slack.WebApi;

namespace ItChatBot.Slack;

/// <summary>
/// Delivers outbox messages to Slack: a new card with <c>chat.postMessage</c> (in its thread), a changed card in place
/// with <c>chat.update</c>, a private answer with <c>chat.postEphemeral</c>, a file with the external upload. The
/// platform message id is <c>{channel}:{ts}</c> because an update needs both. A ticket's first card links its
/// thread to the ticket, so replies there reach it. Failures become <see cref="ChannelSendException"/>: the
/// message stays in the outbox and is tried again (after Slack's <c>Retry-After</c> when it gave one).
/// </summary>
public sealed class SlackChannelSender(SlackApiClient api, BlockKitRenderer renderer, ITicketStore tickets) : IChannelSender
{
    /// <summary>Errors that mean the bot cannot write where the message was addressed; a DM always works.</summary>
    private static readonly HashSet<string> NotReachable = new(StringComparer.Ordinal) { "channel_not_found", "not_in_channel", "is_archived" };

    public string Channel => Core.Conversations.Channels.Slack;

    public async Task<string> SendAsync(OutboundMessage message, string? updatePlatformMessageId, CancellationToken cancellationToken)
    {
        try
        {
            return await DeliverAsync(message, updatePlatformMessageId, cancellationToken);
        }
        catch (SlackApiException ex)
        {
            throw new ChannelSendException(ex.Message, ex.RetryAfter, ex) { Permanent = ex.Permanent };
        }
    }

    /// <summary>A sent message's id is <c>channel:ts</c> (an update needs both); a reply under it names the <c>ts</c>.</summary>
    public string ThreadOf(string platformMessageId) => Posted(platformMessageId)?.Ts ?? platformMessageId;

    /// <summary>A DM with the bot: Slack's direct-message conversation ids begin with D (channels C, private ones G).</summary>
    public Task<bool> IsDirectAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(conversationId.StartsWith('D'));

    /// <summary>The channel and ts of a posted message's id (<c>channel:ts</c>); null for an ephemeral answer or a file.</summary>
    private static (string Channel, string Ts)? Posted(string id) =>
        id.Split(':') is [var channel, var ts] && channel != "ephemeral" && ts.Contains('.', StringComparison.Ordinal) ? (channel, ts) : null;

    private async Task<string> DeliverAsync(OutboundMessage message, string? updatePlatformMessageId, CancellationToken cancellationToken)
    {
        var channel = await ChannelOfAsync(message.Conversation.ConversationId, cancellationToken);
        // A queue card's thread linked before ThreadOf existed holds the card's whole id ("C0QUEUE:1700000000.000100").
        var thread = message.Conversation.ThreadId is { } named ? ThreadOf(named) : null;

        // A picture the host made (a KPI chart) goes up as a file in the card's thread, which needs no public
        // address and no credentials to view; the renderer leaves it out of the blocks.
        var chart = message.Card.Image is { Content: { } png } image ? (image, png) : default;
        var rendered = renderer.Render(message.Card);

        if (message.File is { } file)
        {
            var fileId = await api.UploadFileAsync(channel, thread, file.Name, file.Content, rendered.Text, cancellationToken);
            return $"{channel}:file:{fileId}";
        }

        if (message.EphemeralTo is { } user)
        {
            try
            {
                return $"ephemeral:{await api.PostEphemeralAsync(channel, user, rendered.Text, rendered.Blocks, thread, cancellationToken)}";
            }
            catch (SlackApiException ex) when (NotReachable.Contains(ex.Error))
            {
                // A command used in a channel the bot is not in: answer privately in the DM instead.
                var dm = await api.OpenDirectMessageAsync(user, cancellationToken);
                var posted = await api.PostMessageAsync(dm, rendered.Text, rendered.Blocks, null, cancellationToken);
                return $"{posted.Channel}:{posted.Ts}";
            }
        }

        if (updatePlatformMessageId is { } earlier && Posted(earlier) is { } card)
        {
            var updated = await api.UpdateAsync(card.Channel, card.Ts, rendered.Text, rendered.Blocks, cancellationToken);
            return $"{updated.Channel}:{updated.Ts}";
        }

        // The bytes go up before the card is posted, so a failed upload retries without a second card.
        var chartFile = chart.png is null ? null : await api.BeginUploadAsync(ChartFileName(chart.image), chart.png, cancellationToken);
        var sent = await api.PostMessageAsync(channel, rendered.Text, rendered.Blocks, thread, cancellationToken);
        if (message.Ticket is { } ticket && thread is null)
        {
            // One request, one thread: a ticket's card posted at the top of a channel (a queue post, a /it answer)
            // starts the ticket's thread there. A card posted in a thread is already in the ticket's thread.
            await tickets.LinkThreadAsync(new ConversationRef(Channel, sent.Channel, sent.Ts), ticket, cancellationToken);
        }

        if (chartFile is not null)
        {
            try
            {
                await api.CompleteUploadAsync(chartFile, chart.image.AltText, sent.Channel, thread ?? sent.Ts, null, cancellationToken);
            }
            catch (SlackApiException ex)
            {
                // The card is out: a retry of the whole message would post it again. The chart follows on its own.
                throw new ChannelSendException(ex.Message, ex.RetryAfter, ex)
                {
                    Permanent = ex.Permanent,
                    PartlySent = $"{sent.Channel}:{sent.Ts}",
                    Remainder = new OutboundMessage
                    {
                        Id = $"{message.Id}:chart",
                        Conversation = new ConversationRef(Channel, sent.Channel, thread ?? sent.Ts),
                        Card = new Core.Cards.Card { Title = chart.image.AltText },
                        File = new OutboundFile(ChartFileName(chart.image), "image/png", chart.png!),
                        CreatedAt = message.CreatedAt,
                    },
                };
            }
        }

        return $"{sent.Channel}:{sent.Ts}";
    }

    private static string ChartFileName(Core.Cards.CardImage image) =>
        string.Concat(image.AltText.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')).Trim('-') + ".png";

    /// <summary>
    /// A user id (a manager to ask, a requester to tell) is addressed through the bot's DM with them; an e-mail
    /// address (a directory person never seen on Slack) is first found with <c>users.lookupByEmail</c>.
    /// </summary>
    private async Task<string> ChannelOfAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (conversationId.Contains('@', StringComparison.Ordinal))
        {
            var user = await api.LookupByEmailAsync(conversationId, cancellationToken)
                ?? throw new SlackApiException("users.lookupByEmail", $"no Slack user has the address {conversationId}");
            return await api.OpenDirectMessageAsync(user.Id, cancellationToken);
        }

        return conversationId.Length > 1 && conversationId[0] is 'U' or 'W' && conversationId.All(char.IsAsciiLetterOrDigit)
            ? await api.OpenDirectMessageAsync(conversationId, cancellationToken)
            : conversationId;
    }
}
