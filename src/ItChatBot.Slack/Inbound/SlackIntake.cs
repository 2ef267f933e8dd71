using System.Security.Cryptography;
using System.Text;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// The step every verified Slack delivery takes before it is acknowledged: store the raw envelope under its
/// platform id (a second delivery of the same id is recognised) and wake the inbound processor.
/// </summary>
public sealed class SlackIntake(IInbox inbox, InboundQueue queue, TimeProvider clock)
{
    /// <summary>False when this platform id was accepted before: a Slack retry or a duplicate.</summary>
    public async Task<bool> AcceptAsync(string id, string kind, string body, CancellationToken cancellationToken)
    {
        var envelope = new InboundEnvelope($"slack:{id}", Core.Conversations.Channels.Slack, kind, body, clock.GetUtcNow());
        if (!await inbox.TryAcceptAsync(envelope, cancellationToken))
        {
            return false;
        }

        queue.TryEnqueue(envelope);
        return true;
    }

    /// <summary>Commands and interactions carry no delivery id; the trigger id is unique per invocation, else the body's hash.</summary>
    public static string IdOf(string prefix, string? triggerId, string body) =>
        !string.IsNullOrEmpty(triggerId)
            ? $"{prefix}:{triggerId}"
            : $"{prefix}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..32]}";
}
