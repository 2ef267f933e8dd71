using System.Globalization;

namespace ItChatBot.Core.Tickets;

/// <summary>Keys such as <c>IT-1042</c>: the team's prefix, a dash, and the team's next number.</summary>
public readonly record struct TicketKey(string Prefix, int Number)
{
    /// <summary>
    /// A key as it is found in what people write (a letter, up to nine more letters or digits, a dash, the number), for
    /// patterns that look for one; <see cref="TryParse"/> decides whether it is one.
    /// </summary>
    public const string Pattern = "[A-Za-z][A-Za-z0-9]{0,9}-[0-9]{1,9}";

    public override string ToString() => $"{Prefix}-{Number.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, out TicketKey key)
    {
        key = default;
        var dash = text?.LastIndexOf('-') ?? -1;
        if (text is null || dash <= 0 || dash == text.Length - 1)
        {
            return false;
        }

        if (!int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        var prefix = text[..dash];
        if (!prefix.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        key = new TicketKey(prefix.ToUpperInvariant(), number);
        return true;
    }
}
