namespace ItChatBot.Host.WebChat;

public sealed record SendRequest(string? Person, string? Text, string? Conversation, string? Thread, string? ClientMessageId);

public sealed record ActionRequest(
    string? Person,
    string? ActionId,
    string? Value,
    string? Conversation,
    string? Thread,
    Dictionary<string, string>? Inputs,
    string? ClientMessageId);

public sealed record ChatMessage(
    string Id,
    long Seq,
    string Conversation,
    string? Thread,
    string? UpdateOf,
    bool Ephemeral,
    string? Ticket,
    string Title,
    string Text,
    string Html);

public sealed record ChatResponse(bool Duplicate, IReadOnlyList<ChatMessage> Messages);

public sealed record PersonView(string Id, string DisplayName, string? Title, IReadOnlyList<string> Roles, IReadOnlyList<string> Teams, string? ManagerId, IReadOnlyList<ConversationView> Conversations);

public sealed record ConversationView(string Id, string Label);
