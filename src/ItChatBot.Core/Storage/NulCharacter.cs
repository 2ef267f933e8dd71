namespace ItChatBot.Core.Storage;

/// <summary>
/// The NUL character (U+0000) at the edges where text comes in. PostgreSQL refuses it in a <c>text</c> column (error 22021)
/// while the LiteDB file keeps it, so text holding one would be stored by one store and fail, again at every try, on the
/// other. It never means anything in chat or in a history, so the edges deal with it (chat text drops it, an import line
/// holding one is rejected) and both stores are handed the same text; the stores themselves never edit what they are given.
/// </summary>
public static class NulCharacter
{
    /// <summary>How a reason names the character.</summary>
    public const string Name = "the NUL character (U+0000)";

    public static bool In(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    /// <summary>The text without its NUL characters; the same instance when it has none.</summary>
    public static string Remove(string text) => In(text) ? text.Replace("\0", "", StringComparison.Ordinal) : text;

    /// <summary>A name or value shown in a message, with each NUL written as <c>\u0000</c> so the message itself holds none.</summary>
    public static string Visible(string text) => In(text) ? text.Replace("\0", "\\u0000", StringComparison.Ordinal) : text;

    /// <summary>The reason an import gives for a field that holds one, e.g. <c>subject contains the NUL character (U+0000)</c>.</summary>
    public static string Reason(string field) => $"{Visible(field)} contains {Name}";
}
