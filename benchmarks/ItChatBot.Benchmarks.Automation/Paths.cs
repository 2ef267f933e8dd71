namespace ItChatBot.Benchmarks.Automation;

internal static class Paths
{
    private static readonly string Root = FindRoot();

    public static string Workflows => Path.Combine(Root, "workflows");

    public static string Knowledge => Path.Combine(Root, "knowledge");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ItChatBot.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the repository (ItChatBot.sln not found).");
    }
}
