using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Tests;

public sealed class TicketKeyTests
{
    [Theory]
    [InlineData("IT-1042", "IT", 1042)]
    [InlineData("sec-7", "SEC", 7)]
    public void Keys_parse_into_prefix_and_number(string text, string prefix, int number)
    {
        Assert.True(TicketKey.TryParse(text, out var key));
        Assert.Equal(new TicketKey(prefix, number), key);
        Assert.Equal($"{prefix}-{number}", key.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("IT")]
    [InlineData("IT-")]
    [InlineData("-5")]
    [InlineData("IT-0")]
    [InlineData("IT-x1")]
    [InlineData("I T-1")]
    public void Malformed_keys_are_refused(string? text)
    {
        Assert.False(TicketKey.TryParse(text, out _));
    }
}
