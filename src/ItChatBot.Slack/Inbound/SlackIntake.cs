using System.Security.Cryptography;
using System.Text;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// The step every verified Slack delivery takes before it is acknowledged: journal the raw envelope under its
/// platform id. The journal's mover stores it in the inbox (where a second delivery of the same id is
/// recognised and dropped) and wakes the inbound processor.
/// </summary>
public sealed class SlackIntake(IInboundJournal journal, TimeProvider clock)
{
    /// <summary>Completes once the envelope is durable; a retry or duplicate is dropped later, by the inbox.</summary>
    public Task AcceptAsync(string id, string kind, string body, CancellationToken cancellationToken) =>
        journal.WriteAsync(new InboundEnvelope($"slack:{id}", Core.Conversations.Channels.Slack, kind, body, clock.GetUtcNow()), cancellationToken);

    /// <summary>Commands and interactions carry no delivery id; the trigger id is unique per invocation, else the body's hash.</summary>
    public static string IdOf(string prefix, string? triggerId, string body) =>
        !string.IsNullOrEmpty(triggerId)
            ? $"{prefix}:{triggerId}"
            : $"{prefix}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..32]}";
}
