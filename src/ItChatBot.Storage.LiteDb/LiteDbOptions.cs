namespace ItChatBot.Storage.LiteDb;

public sealed class LiteDbOptions
{
    /// <summary>The data file; relative paths are under the working folder.</summary>
    public string Path { get; set; } = "data/itchatbot.db";
}
