namespace ItChatBot.Automation.Knowledge;

/// <summary>A markdown article: its path relative to the knowledge folder (e.g. <c>kb/vpn-setup.md</c>), title, text and owner.</summary>
public sealed record KnowledgeArticle(string Path, string Title, string Body, string Team, string Category)
{
    /// <summary>The first paragraph or so, for the deflection card.</summary>
    public string Summary(int max = 600) => Body.Length <= max ? Body : string.Concat(Body.AsSpan(0, max - 1), "…");

    /// <summary>
    /// Reads a markdown file: an optional front matter block (<c>---</c> lines with <c>team:</c> and <c>category:</c>),
    /// the first <c># heading</c> as the title (else the file name), the rest as text with markup removed.
    /// </summary>
    public static KnowledgeArticle Parse(string path, string markdown)
    {
        var team = "IT";
        var category = "general";
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[0].Trim() == "---")
        {
            var end = lines.FindIndex(1, l => l.Trim() == "---");
            if (end > 0)
            {
                foreach (var line in lines.Skip(1).Take(end - 1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        continue;
                    }

                    var key = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (key == "team")
                    {
                        team = value;
                    }
                    else if (key == "category")
                    {
                        category = value;
                    }
                }

                lines = lines.Skip(end + 1).ToList();
            }
        }

        var titleIndex = lines.FindIndex(l => l.StartsWith("# ", StringComparison.Ordinal));
        var title = titleIndex >= 0 ? lines[titleIndex][2..].Trim() : System.IO.Path.GetFileNameWithoutExtension(path).Replace('-', ' ');
        if (titleIndex >= 0)
        {
            lines.RemoveAt(titleIndex);
        }

        var body = string.Join('\n', lines.Select(Plain).Where(l => l.Length > 0));
        return new KnowledgeArticle(path.Replace('\\', '/'), title, body, team, category);
    }

    private static string Plain(string line)
    {
        var text = line.Trim().TrimStart('#', '>', '-', '*', ' ');
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\[([^\]]*)\]\([^)]*\)", "$1");
        return text.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim();
    }
}
