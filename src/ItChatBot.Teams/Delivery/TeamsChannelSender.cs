using System.Text.Json.Nodes;
using ItChatBot.Core.Conversations;
using ItChatBot.Teams.Activities;
using ItChatBot.Teams.Cards;
using ItChatBot.Teams.Connector;
using ItChatBot.Teams.Storage;
using Microsoft.Extensions.Options;

namespace ItChatBot.Teams.Delivery;

/// <summary>
/// Delivers outbox messages to Teams. The conversation id of a message is either a Teams conversation the bot
/// has seen (a reply into it, or into the thread when the message has one) or a user's id (the directory's
/// Teams id: Entra object id or <c>29:…</c>) for a proactive message into their personal chat, which is opened
/// through the connector when the bot has not talked to them there yet. Updates PUT the earlier activity, so
/// approval and ticket cards change in place. Returns the activity id, the handle for later updates.
/// A team's channel the bot has heard nothing from (a queue channel other than the team's General) is written to through
/// <see cref="TeamsOptions.ServiceUrl"/>, as Teams' proactive messages to a channel are.
/// </summary>
public sealed class TeamsChannelSender(ConnectorClient connector, IConversationReferences references, InlineInvokes inline, IOptions<TeamsOptions> options) : IChannelSender
{
    public string Channel => Channels.Teams;

    /// <summary>A personal chat with the bot, as the conversation's own activities said (<c>conversationType: personal</c>).</summary>
    public async Task<bool> IsDirectAsync(string conversationId, CancellationToken cancellationToken) =>
        (await references.FindConversationAsync(conversationId, cancellationToken))?.ConversationType == "personal";

    public async Task<string> SendAsync(OutboundMessage message, string? updatePlatformMessageId, CancellationToken cancellationToken)
    {
        if (inline.TryTakeInline(message, out var shown))
        {
            // Already shown as the invoke response, in place of the clicked card, but only to the person who clicked.
            // In a personal chat that is everyone; an ephemeral reply is meant for the clicker alone anyway.
            if (!shown.SharedConversation || message.EphemeralTo is not null)
            {
                return shown.CardActivityId ?? message.Id;
            }

            // In a channel or group chat the others must see the result too (protocols/teams.md §6): an updated card
            // is PUT in place (the clicked card when the update names no earlier activity), a new reply is posted below.
            if (message.UpdateOf is not null)
            {
                updatePlatformMessageId ??= shown.CardActivityId;
            }
        }

        var (serviceUrl, conversationId, conversationType) = await ResolveAsync(message.Conversation.ConversationId, cancellationToken);
        if (message.Conversation.ThreadId is { } thread && conversationType == "channel")
        {
            // Into a channel thread: Teams posts a message with only a replyToId as a new post of the channel.
            conversationId = TeamsThreads.Threaded(conversationId, thread);
        }

        var activity = ToActivity(message);
        if (updatePlatformMessageId is not null)
        {
            return await connector.UpdateAsync(serviceUrl, conversationId, updatePlatformMessageId, activity, cancellationToken);
        }

        // A thread id is the activity the message answers; in a personal conversation that is only a hint.
        var replyTo = message.Conversation.ThreadId;
        return await connector.SendAsync(serviceUrl, conversationId, activity, replyTo, cancellationToken);
    }

    public static JsonObject ToActivity(OutboundMessage message)
    {
        var card = AdaptiveCardRenderer.Render(message.Card);
        string? text = null;
        if (message.File is { } file)
        {
            if (Uri.TryCreate(file.Url, UriKind.Absolute, out var link) && link.Scheme is "https" or "http")
            {
                // A signed, expiring link served by the host: works in personal chats, group chats and channels alike.
                card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = $"Download {file.Name}", ["url"] = file.Url } };
                // Markdown text: the title and the file name may carry user text, so only the download is a link.
                text = $"{AdaptiveCardRenderer.Escape(message.Card.Title)}: [{AdaptiveCardRenderer.Escape(file.Name)}]({file.Url})";
            }
            else
            {
                text = $"{AdaptiveCardRenderer.Escape(message.Card.Title)} (the file {AdaptiveCardRenderer.Escape(file.Name)} is available from the web chat or the CLI export; set Host:PublicBaseUrl for a download link here)";
            }
        }

        var activity = new JsonObject
        {
            ["type"] = "message",
            ["summary"] = message.Card.Title,
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = AdaptiveCardRenderer.ContentType, ["content"] = card } },
        };
        if (text is not null)
        {
            activity["text"] = text;
        }

        return activity;
    }

    private async Task<(string ServiceUrl, string ConversationId, string? ConversationType)> ResolveAsync(string target, CancellationToken cancellationToken)
    {
        if (await references.FindConversationAsync(target, cancellationToken) is { } conversation)
        {
            return (conversation.ServiceUrl, conversation.ConversationId, conversation.ConversationType);
        }

        if (TeamsThreads.Split(target) is (var channel, { }) && await references.FindConversationAsync(channel, cancellationToken) is { } ofChannel)
        {
            // A channel thread's own id (queued before channels were remembered without their thread): its channel's reference.
            return (ofChannel.ServiceUrl, target, ofChannel.ConversationType);
        }

        if (TeamsThreads.IsChannel(target))
        {
            // A channel of a team the app is installed in needs no activity from it first: Teams takes a post for any of the
            // team's channels, so a queue channel other than General gets its cards at once rather than after the first
            // @mention there. Where the app is not in the channel's team, Teams refuses, and the outbox keeps the message
            // with Teams' reason and tries again (hourly) until it is.
            return (options.Value.ServiceUrl, target, "channel");
        }

        if (await references.FindUserAsync(target, cancellationToken) is not { } user)
        {
            throw new ChannelSendException(
                $"Teams knows no conversation or user '{target}': the app must be installed and have heard from them before it can write first.");
        }

        if (user.PersonalConversationId is { } personal)
        {
            return (user.ServiceUrl, personal, "personal");
        }

        var created = await connector.CreatePersonalConversationAsync(user.ServiceUrl, user.BotId, user.BotName, user.TeamsUserId, user.TenantId, cancellationToken);
        if (string.IsNullOrEmpty(created))
        {
            throw new ChannelSendException($"The connector opened no personal conversation with {target}.");
        }

        await references.SavePersonalConversationAsync(user, created, cancellationToken);
        return (user.ServiceUrl, created, "personal");
    }
}
