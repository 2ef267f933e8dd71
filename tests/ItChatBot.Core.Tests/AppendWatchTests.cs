using ItChatBot.Core.Storage;
using ItChatBot.Core.Tickets;
using ItChatBot.Testing;

namespace ItChatBot.Core.Tests;

public sealed class AppendWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Concurrent_flows_each_see_only_the_tickets_they_appended_to()
    {
        var gate = new TaskCompletionSource();

        async Task<IReadOnlyCollection<string>> TurnAsync(params string[] tickets)
        {
            using var watch = AppendWatch.Begin();
            await gate.Task;
            foreach (var key in tickets)
            {
                await Task.Yield();
                AppendWatch.Note(Events.Of(key).Created(T0).List);
            }

            return watch.Tickets;
        }

        var first = TurnAsync("IT-1", "IT-2");
        var second = TurnAsync("HR-1");
        gate.SetResult();

        Assert.Equal(["IT-1", "IT-2"], (await first).Order());
        Assert.Equal(["HR-1"], await second);
    }

    [Fact]
    public void An_inner_watch_reports_to_the_outer_one_too_and_nothing_is_noted_after_both_close()
    {
        var outer = AppendWatch.Begin();
        using (var inner = AppendWatch.Begin())
        {
            AppendWatch.Note(Events.Of("IT-7").Created(T0).List);
            Assert.Equal(["IT-7"], inner.Tickets);
        }

        AppendWatch.Note(Events.Of("IT-8").Created(T0).List);
        outer.Dispose();
        AppendWatch.Note(Events.Of("IT-9").Created(T0).List);

        Assert.Equal(["IT-7", "IT-8"], outer.Tickets.Order());
    }

    [Fact]
    public void Events_without_a_ticket_are_not_noted()
    {
        using var watch = AppendWatch.Begin();
        AppendWatch.Note([TicketEvent.New(null, EventType.Deflected, T0, "U1", ActorKind.Requester, new Dictionary<string, string>())]);

        Assert.Empty(watch.Tickets);
    }
}
