namespace ItChatBot.Core.Tickets;

/// <summary>
/// A rule of the domain was broken. The message is written for the person who asked,
/// so the router shows it as it is (an ephemeral reply, or an HTTP 400 reason).
/// </summary>
public sealed class DomainException(string message) : Exception(message);
