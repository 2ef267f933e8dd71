namespace ItChatBot.Storage.Postgres;

/// <summary>
/// Times as the LiteDB store keeps them: UTC, whole milliseconds (PostgreSQL would keep microseconds), so that what the
/// two stores read back, and which of two instants counts as later, is the same.
/// </summary>
internal static class Millis
{
    public static DateTimeOffset Of(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
