namespace ItChatBot.Automation.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Workflows => Path.Combine(Root, "workflows");

    public static string Knowledge => Path.Combine(Root, "knowledge");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ItChatBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ItChatBot.sln not found above the test folder.");
    }
}
