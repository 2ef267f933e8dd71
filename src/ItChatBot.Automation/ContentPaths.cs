namespace ItChatBot.Automation;

/// <summary>Finds a content folder (workflows/, knowledge/): as given, under the working folder, or in a folder above the app (a checkout).</summary>
public static class ContentPaths
{
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var fromWorkingFolder = Path.GetFullPath(path);
        if (Directory.Exists(fromWorkingFolder))
        {
            return fromWorkingFolder;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return fromWorkingFolder;
    }
}
