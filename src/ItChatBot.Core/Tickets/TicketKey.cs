using System.Globalization;

namespace ItChatBot.Core.Tickets;

/// <summary>Keys such as <c>IT-1042</c>: the team's prefix, a dash, and the team's next number.</summary>
public readonly record struct TicketKey(string Prefix, int Number)
{
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
