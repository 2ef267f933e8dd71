namespace ItChatBot.Testing;

/// <summary>The checkout's root (the folder with ItChatBot.sln), found from the test binaries upward; shared/ sits beside it.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Shared => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared"));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ItChatBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ItChatBot.sln above {AppContext.BaseDirectory}.");
    }
}
