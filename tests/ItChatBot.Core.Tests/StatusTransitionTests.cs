using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Core.Tests;

public sealed class StatusTransitionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static Ticket TicketIn(TicketStatus status)
    {
        var events = Events.Of("IT-1").Created(T0);
        var at = T0.AddMinutes(1);
        switch (status)
        {
            case TicketStatus.New:
                break;
            case TicketStatus.Resolved:
                events.Resolved(at, "A1", ActorKind.Agent);
                break;
            case TicketStatus.Closed:
                events.Resolved(at, "A1", ActorKind.Agent).Add(EventType.Closed, at.AddMinutes(1), "system", ActorKind.System);
                break;
            default:
                events.Status(at, status);
                break;
        }

        var ticket = Ticket.Replay(events.List);
        Assert.Equal(status, ticket.Status);
        return ticket;
    }

    public static TheoryData<TicketStatus, TicketStatus, bool> StatusChanges()
    {
        var data = new TheoryData<TicketStatus, TicketStatus, bool>();
        TicketStatus[] working = [TicketStatus.New, TicketStatus.Open, TicketStatus.InProgress, TicketStatus.WaitingOnRequester, TicketStatus.PendingApproval];
        foreach (var from in Enum.GetValues<TicketStatus>())
        {
            foreach (var to in Enum.GetValues<TicketStatus>())
            {
                var allowed = from != to && working.Contains(from) && to is not (TicketStatus.New or TicketStatus.Resolved or TicketStatus.Closed);
                data.Add(from, to, allowed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatusChanges))]
    public void A_status_change_is_allowed_only_between_distinct_working_states(TicketStatus from, TicketStatus to, bool allowed)
    {
        var ticket = TicketIn(from);
        var change = TicketEvent.New("IT-1", EventType.StatusChanged, T0.AddHours(1), "A1", ActorKind.Agent,
            new Dictionary<string, string> { [EventData.Status] = to.ToString() });

        if (allowed)
        {
            ticket.Record(change);
            Assert.Equal(to, ticket.Status);
        }
        else
        {
            var error = Assert.Throws<DomainException>(() => ticket.Record(change));
            Assert.Contains("IT-1", error.Message, StringComparison.Ordinal);
            Assert.Equal(from, ticket.Status);
        }
    }

    [Theory]
    [InlineData(TicketStatus.New, true)]
    [InlineData(TicketStatus.Open, true)]
    [InlineData(TicketStatus.InProgress, true)]
    [InlineData(TicketStatus.WaitingOnRequester, true)]
    [InlineData(TicketStatus.PendingApproval, true)]
    [InlineData(TicketStatus.Resolved, false)]
    [InlineData(TicketStatus.Closed, false)]
    public void Only_an_open_ticket_can_be_resolved(TicketStatus from, bool allowed)
    {
        var ticket = TicketIn(from);
        var resolve = TicketEvent.New("IT-1", EventType.Resolved, T0.AddHours(1), "A1", ActorKind.Agent);

        Assert.Equal(allowed, ticket.Check(resolve) is null);
        if (allowed)
        {
            ticket.Record(resolve);
            Assert.Equal(TicketStatus.Resolved, ticket.Status);
            Assert.Equal(T0.AddHours(1), ticket.ResolvedAt);
        }
        else
        {
            Assert.Throws<DomainException>(() => ticket.Record(resolve));
        }
    }

    [Theory]
    [InlineData(TicketStatus.Resolved, true)]
    [InlineData(TicketStatus.Open, false)]
    [InlineData(TicketStatus.InProgress, false)]
    [InlineData(TicketStatus.Closed, false)]
    public void Only_a_resolved_ticket_can_be_reopened(TicketStatus from, bool allowed)
    {
        var ticket = TicketIn(from);
        var reopen = TicketEvent.New("IT-1", EventType.Reopened, T0.AddHours(2), "U1", ActorKind.Requester);

        Assert.Equal(allowed, ticket.Check(reopen) is null);
        if (allowed)
        {
            ticket.Record(reopen);
            Assert.Equal(TicketStatus.Open, ticket.Status);
            Assert.Null(ticket.ResolvedAt);
            Assert.Equal(1, ticket.ReopenCount);
        }
    }

    [Theory]
    [InlineData(TicketStatus.Resolved, true)]
    [InlineData(TicketStatus.InProgress, false)]
    [InlineData(TicketStatus.Closed, false)]
    public void Only_a_resolved_ticket_can_be_closed(TicketStatus from, bool allowed)
    {
        var ticket = TicketIn(from);
        var close = TicketEvent.New("IT-1", EventType.Closed, T0.AddHours(3), "system", ActorKind.System);

        Assert.Equal(allowed, ticket.Check(close) is null);
    }

    [Fact]
    public void An_unknown_status_is_refused_with_the_list_of_statuses()
    {
        var ticket = TicketIn(TicketStatus.Open);
        var change = TicketEvent.New("IT-1", EventType.StatusChanged, T0, "A1", ActorKind.Agent, new Dictionary<string, string> { [EventData.Status] = "Sleeping" });

        var error = Assert.Throws<DomainException>(() => ticket.Record(change));

        Assert.Contains("'Sleeping' is not a status", error.Message, StringComparison.Ordinal);
        Assert.Contains("WaitingOnRequester", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ticket_cannot_be_created_twice_nor_changed_before_it_exists()
    {
        var created = Events.Of("IT-1").Created(T0).List[0];
        var existing = Ticket.Replay([created]);
        var fresh = new Ticket();

        Assert.Equal("IT-1 already exists.", existing.Check(created));
        Assert.Contains("no Created event", fresh.Check(TicketEvent.New("IT-1", EventType.Resolved, T0, "A1", ActorKind.Agent)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("5", true)]
    [InlineData("6", false)]
    [InlineData("great", false)]
    public void A_survey_answer_needs_a_score_from_one_to_five(string score, bool allowed)
    {
        var ticket = TicketIn(TicketStatus.Resolved);
        var answer = TicketEvent.New("IT-1", EventType.SurveyAnswered, T0.AddHours(4), "U1", ActorKind.Requester,
            new Dictionary<string, string> { [EventData.Score] = score });

        Assert.Equal(allowed, ticket.Check(answer) is null);
    }

    [Fact]
    public void Created_needs_a_team_and_a_known_priority()
    {
        var noTeam = TicketEvent.New("IT-1", EventType.Created, T0, "U1", ActorKind.Requester, new Dictionary<string, string> { [EventData.Priority] = "P1" });
        var badPriority = TicketEvent.New("IT-1", EventType.Created, T0, "U1", ActorKind.Requester,
            new Dictionary<string, string> { [EventData.Team] = "IT", [EventData.Priority] = "P9" });

        Assert.Equal("Created needs a team.", new Ticket().Check(noTeam));
        Assert.Contains("'P9' is not a priority", new Ticket().Check(badPriority), StringComparison.Ordinal);
    }

    [Fact]
    public void Escalation_moves_tier_team_and_assignee_and_is_counted()
    {
        var ticket = Ticket.Replay(Events.Of("IT-1").Created(T0).Assigned(T0.AddMinutes(5), "A1")
            .Add(EventType.Escalated, T0.AddMinutes(10), "A1", ActorKind.Agent, (EventData.ToTier, "L2"), (EventData.ToTeam, "Security"), (EventData.Assignee, "S1"))
            .List);

        Assert.Equal(("L2", "Security", "S1", 1), (ticket.Tier, ticket.Team, ticket.Assignee, ticket.EscalationCount));
    }
}
