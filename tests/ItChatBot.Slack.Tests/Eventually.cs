namespace ItChatBot.Slack.Tests;

/// <summary>Waits for an outcome of background work (inbound processor, outbox, socket) with a deadline, polling briefly.</summary>
public static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task TrueAsync(Func<bool> condition, string what) => await TrueAsync(() => Task.FromResult(condition()), what);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Timeout.TotalSeconds} s for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
