using System.Text;

namespace ItChatBot.Host.Kpi;

/// <summary>RFC 4180 CSV, small enough to own: quoted fields may hold commas, quotes ("") and line breaks.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Quote));

    public static string Quote(string? field)
    {
        var value = field ?? "";
        // A leading = + - @ (or a tab or carriage return before one) would run as a formula in a spreadsheet (OWASP's
        // CSV injection list); a quote mark in front keeps it text. A plain number, such as a negative change, stays one.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>
    /// Records with the line number each starts on (1-based; the header is line 1). A quoted field still open at the end of the
    /// input throws <see cref="UnclosedQuoteException"/> after the records before it: read as a field, it would have swallowed
    /// every line after its opening quote without a word.
    /// </summary>
    public static IEnumerable<(int Line, List<string> Fields)> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    if (fields.Count > 1 || fields[0].Length > 0)
                    {
                        yield return (start, fields);
                    }

                    fields = [];
                    any = false;
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (quoted)
        {
            throw new UnclosedQuoteException(start);
        }

        if (any)
        {
            fields.Add(field.ToString());
            if (fields.Count > 1 || fields[0].Length > 0)
            {
                yield return (start, fields);
            }
        }
    }
}

/// <summary>A quoted field opened in the record starting on <see cref="Line"/> is never closed.</summary>
public sealed class UnclosedQuoteException(int line)
    : FormatException($"A quoted field in this row is never closed, so the rest of the file from line {line} was not read; close the quote (\"\" stands for a quote inside a field).")
{
    public int Line { get; } = line;
}
