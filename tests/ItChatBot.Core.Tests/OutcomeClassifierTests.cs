using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Core.Tests;

/// <summary>DESIGN §3, rule by rule.</summary>
public sealed class OutcomeClassifierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset M(int minutes) => T0.AddMinutes(minutes);

    [Fact]
    public void A_ticket_that_is_not_resolved_has_no_outcome()
    {
        Assert.Null(OutcomeClassifier.Classify(Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).List));
    }

    [Fact]
    public void A_reopened_ticket_that_is_open_again_has_no_outcome()
    {
        var events = Events.Of("IT-1").Created(T0).Resolved(M(5), "A1", ActorKind.Agent).Reopened(M(10)).List;

        Assert.Null(OutcomeClassifier.Classify(events));
    }

    [Fact]
    public void A_completed_workflow_resolved_by_automation_with_no_agent_is_ai_resolved()
    {
        var events = Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).Responded(M(1), "automation", ActorKind.Automation)
            .WorkflowCompleted(M(2)).Resolved(M(2)).List;

        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(events));
    }

    [Fact]
    public void A_managers_approval_is_not_agent_work()
    {
        var events = Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).Approved(M(30), "MGR1").WorkflowCompleted(M(31)).Resolved(M(31)).List;

        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(events));
    }

    public static TheoryData<string, Func<Events, Events>> AgentActs() => new()
    {
        { "assigned to an agent", e => e.Assigned(M(3), "A1") },
        { "an agent responded", e => e.Responded(M(3), "A1", ActorKind.Agent) },
        { "an agent overrode the automation", e => e.Overridden(M(3), "A1") },
        { "an agent resolved it before a reopen", e => e.Resolved(M(3), "A1", ActorKind.Agent).Reopened(M(3)) },
    };

    public static TheoryData<string, Func<Events, Events>> NotAgentWork() => new()
    {
        { "an agent changed the status", e => e.Status(M(3), TicketStatus.InProgress, "A1") },
        { "an approval imported with actor kind agent", e => e.Add(EventType.ApprovalDecided, M(3), "MGR1", ActorKind.Agent, (EventData.Decision, "approved")) },
    };

    [Theory]
    [MemberData(nameof(NotAgentWork))]
    public void Only_the_acts_design_3_lists_are_agent_work(string act, Func<Events, Events> other)
    {
        var events = other(Events.Of("IT-1").Created(T0).WorkflowStarted(M(1))).WorkflowCompleted(M(4)).Resolved(M(4)).List;

        Assert.True(OutcomeClassifier.Classify(events) == Outcome.AiResolved, act);
    }

    [Theory]
    [MemberData(nameof(AgentActs))]
    public void A_workflow_ticket_an_agent_acted_on_is_ai_assisted(string act, Func<Events, Events> agentAct)
    {
        var events = agentAct(Events.Of("IT-1").Created(T0).WorkflowStarted(M(1))).WorkflowCompleted(M(4)).Resolved(M(4)).List;

        Assert.True(OutcomeClassifier.Classify(events) == Outcome.AiAssisted, act);
    }

    [Fact]
    public void A_workflow_ticket_resolved_by_an_agent_is_ai_assisted()
    {
        var events = Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).WorkflowCompleted(M(2)).Resolved(M(3), "A1", ActorKind.Agent).List;

        Assert.Equal(Outcome.AiAssisted, OutcomeClassifier.Classify(events));
    }

    [Fact]
    public void A_failed_workflow_handed_to_an_agent_is_ai_assisted()
    {
        var events = Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).WorkflowFailed(M(2))
            .Escalated(M(2), "automation", ActorKind.Automation, "L1").Assigned(M(5), "A1").Resolved(M(20), "A1", ActorKind.Agent).List;

        Assert.Equal(Outcome.AiAssisted, OutcomeClassifier.Classify(events));
    }

    [Fact]
    public void A_workflow_that_never_completed_is_ai_assisted_even_when_automation_resolved()
    {
        var events = Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).Resolved(M(2)).List;

        Assert.Equal(Outcome.AiAssisted, OutcomeClassifier.Classify(events));
    }

    [Fact]
    public void A_ticket_with_no_workflow_is_unassisted_whoever_resolved_it()
    {
        var byAgent = Events.Of("IT-1").Created(T0).Assigned(M(1), "A1").Resolved(M(9), "A1", ActorKind.Agent).List;
        var byAutomation = Events.Of("IT-2").Created(T0).Resolved(M(9)).List;

        Assert.Equal(Outcome.Unassisted, OutcomeClassifier.Classify(byAgent));
        Assert.Equal(Outcome.Unassisted, OutcomeClassifier.Classify(byAutomation));
    }

    [Fact]
    public void Only_events_up_to_the_final_resolution_count()
    {
        // An agent answering the survey thread after the final resolution does not turn AI-resolved into assisted.
        var events = Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).WorkflowCompleted(M(2)).Resolved(M(2))
            .Responded(M(60), "A1", ActorKind.Agent).List;

        Assert.Equal(Outcome.AiResolved, OutcomeClassifier.Classify(events));
    }

    [Fact]
    public void Agent_work_before_a_reopen_still_counts_for_the_final_resolution()
    {
        var events = Events.Of("IT-1").Created(T0).WorkflowStarted(M(1)).WorkflowCompleted(M(2)).Resolved(M(2))
            .Reopened(M(30)).Assigned(M(31), "A1").Resolved(M(50)).List;

        Assert.Equal(Outcome.AiAssisted, OutcomeClassifier.Classify(events));
        Assert.Equal(events.Count - 1, OutcomeClassifier.FinalResolutionIndex(events));
    }
}
