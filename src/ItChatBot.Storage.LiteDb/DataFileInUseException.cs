namespace ItChatBot.Storage.LiteDb;

/// <summary>Another process (the running service, or a command-line verb) has the data file open.</summary>
public sealed class DataFileInUseException(string path, Exception inner)
    : IOException($"{path} is in use by another ItChatBot process (the running service, or another command). Stop it, then run this again.", inner)
{
    public string DataFile { get; } = path;
}
