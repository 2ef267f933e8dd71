namespace ItChatBot.Automation.Knowledge;

/// <summary>
/// A markdown article: its path relative to the knowledge folder (e.g. <c>kb/vpn-setup.md</c>), title, text and owner,
/// and the words people use for its subject that the text does not (<see cref="Keywords"/>: searched, never shown).
/// </summary>
public sealed record KnowledgeArticle(string Path, string Title, string Body, string Team, string Category, string Keywords = "")
{
    /// <summary>The first paragraph or so, for the deflection card.</summary>
    public string Summary(int max = 600)
    {
        if (Body.Length <= max)
        {
            return Body;
        }

        // Never between the two halves of an emoji or other character outside the BMP: the card would show "�".
        var cut = char.IsHighSurrogate(Body[max - 2]) ? max - 2 : max - 1;
        return string.Concat(Body.AsSpan(0, cut), "…");
    }

    /// <summary>
    /// Reads a markdown file: an optional front matter block (<c>---</c> lines with <c>team:</c>, <c>category:</c> and
    /// <c>keywords:</c>, a comma-separated list such as <c>set up, remote, work from home</c>),
    /// the first <c># heading</c> as the title (else the file name), the rest as text with markup removed.
    /// </summary>
    /// <exception cref="FormatException">The front matter is never closed, or the file has no text.</exception>
    public static KnowledgeArticle Parse(string path, string markdown)
    {
        var team = "IT";
        var category = "general";
        var keywords = "";
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[0].Trim() == "---")
        {
            var end = lines.FindIndex(1, l => l.Trim() == "---");
            if (end < 0)
            {
                // Indexed as it stands, its team and category lines would show on the card and the article would count
                // its deflections for IT/general.
                throw new FormatException("its front matter (the '---' on line 1) has no closing '---' line");
            }

            foreach (var line in lines.Skip(1).Take(end - 1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                var key = line[..colon].Trim();
                var value = Unquote(line[(colon + 1)..].Trim());
                if (value.Length == 0)
                {
                    continue;
                }

                if (key == "team")
                {
                    team = value;
                }
                else if (key == "category")
                {
                    category = value;
                }
                else if (key == "keywords")
                {
                    keywords = string.Join(", ", value.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Unquote));
                }
            }

            lines = lines.Skip(end + 1).ToList();
        }

        var titleIndex = lines.FindIndex(l => l.StartsWith("# ", StringComparison.Ordinal));
        var title = titleIndex >= 0 ? lines[titleIndex][2..].Trim() : System.IO.Path.GetFileNameWithoutExtension(path).Replace('-', ' ');
        if (titleIndex >= 0)
        {
            lines.RemoveAt(titleIndex);
        }

        var body = string.Join('\n', lines.Select(Plain).Where(l => l.Length > 0));
        if (body.Length == 0)
        {
            throw new FormatException("it has no text to show");
        }

        return new KnowledgeArticle(path.Replace('\\', '/'), title, body, team, category, keywords);
    }

    /// <summary>YAML allows <c>team: "HR"</c> as well as <c>team: HR</c>; the quotes are not part of the name.</summary>
    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1].Trim() : value;

    private static string Plain(string line)
    {
        var text = line.Trim().TrimStart('#', '>', '-', '*', ' ');
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\[([^\]]*)\]\([^)]*\)", "$1");
        return text.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Trim();
    }
}
