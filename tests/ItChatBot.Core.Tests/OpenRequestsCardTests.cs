using ItChatBot.Core.Tickets;

namespace ItChatBot.Core.Tests;

public sealed class OpenRequestsCardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void More_requests_than_the_card_holds_show_the_newest_and_say_how_many_there_are()
    {
        var open = Enumerable.Range(1, 25)
            .Select(i => new Ticket { Key = $"IT-{i}", Subject = $"request {i}", Team = "IT", Status = TicketStatus.Open, CreatedAt = T0.AddHours(i) })
            .ToList();

        var card = TicketCards.OpenRequests(open);

        Assert.Equal("Your open requests (25)", card.Title);
        Assert.Equal(Enumerable.Range(6, 20).Reverse().Select(i => $"IT-{i}"), card.Table!.Rows.Select(r => r[0]));
        Assert.Equal("Showing the 20 newest of 25. /it status KEY shows one of them.", card.Context);
    }

    [Fact]
    public void A_row_says_status_team_assignee_and_when_it_was_opened()
    {
        var ticket = new Ticket
        {
            Key = "HR-3", Subject = new string('x', 80), Team = "HR", Status = TicketStatus.WaitingOnRequester, Assignee = "hana", CreatedAt = T0,
        };

        var row = Assert.Single(TicketCards.OpenRequests([ticket]).Table!.Rows);

        Assert.Equal(["HR-3", "Waiting on you", "HR", "hana", "2026-03-02 09:00 UTC", new string('x', 59) + "…"], row);
    }
}
