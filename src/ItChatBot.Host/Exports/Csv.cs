using System.Globalization;
using CsvHelper;

namespace ItChatBot.Host.Exports;

/// <summary>
/// Writes rows as RFC 4180 CSV in UTF-8 with a byte order mark (see <see cref="ExportFile.ContentType"/>), times in UTC
/// ISO 8601. Fields that a spreadsheet would run as a formula are escaped: reasons and names in these files are typed by users.
/// </summary>
internal static class Csv
{
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, WriteByteOrderMark = true };

    public static byte[] Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            csv.WriteRecord([.. header]);
            foreach (var row in rows)
            {
                csv.WriteRecord([.. row]);
            }
        }

        return buffer.ToArray();
    }

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "";
}
