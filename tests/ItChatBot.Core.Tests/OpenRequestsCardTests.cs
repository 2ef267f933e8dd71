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

    [Fact]
    public void Recently_resolved_requests_are_named_newest_first_five_at_most_also_when_none_is_open()
    {
        var resolved = Enumerable.Range(1, 7)
            .Select(i => new Ticket { Key = $"IT-{i}", Subject = $"request {i}", Team = "IT", Status = TicketStatus.Resolved, CreatedAt = T0, ResolvedAt = T0.AddDays(i) })
            .ToList();

        var card = TicketCards.OpenRequests([], resolved: resolved);

        Assert.Equal("Your open requests", card.Title);
        Assert.Equal(
            "You have no open requests. Type /it followed by what you need to open one (e.g. /it my laptop will not start).\n"
            + "Resolved in the last 7 days: IT-7 request 7 (2026-03-09), IT-6 request 6 (2026-03-08), IT-5 request 5 (2026-03-07), "
            + "IT-4 request 4 (2026-03-06), IT-3 request 3 (2026-03-05), and 2 more. Reply in a request's thread, or /it reopen KEY, if it is not fixed.",
            card.Text);
        Assert.DoesNotContain("Resolved in", TicketCards.OpenRequests([]).Text, StringComparison.Ordinal);
    }
}
