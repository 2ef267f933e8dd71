namespace ItChatBot.Teams.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Waits until the condition holds (background delivery), failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> WaitAsync<T>(Func<T?> probe, string what, int seconds = 15)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Timed out after {seconds} s waiting for {what}.");
    }

    public static Task WaitAsync(Func<bool> condition, string what, int seconds = 15) =>
        WaitAsync(() => condition() ? "ok" : null, what, seconds);
}
