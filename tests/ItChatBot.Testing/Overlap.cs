namespace ItChatBot.Testing;

/// <summary>Races for tests: a write with another thread reading throughout it.</summary>
public static class Overlap
{
    /// <summary>
    /// Runs <paramref name="write"/> while another thread runs <paramref name="read"/> over and over, from before the write
    /// starts (the write waits for the first read) until it has ended; rethrows what either threw.
    /// </summary>
    public static async Task ReadThroughoutAsync(Func<Task> read, Func<Task> write)
    {
        using var written = new CancellationTokenSource();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            try
            {
                do
                {
                    await read();
                    reading.TrySetResult();
                }
                while (!written.IsCancellationRequested);
            }
            finally
            {
                reading.TrySetResult();
            }
        });

        await reading.Task;
        try
        {
            await write();
        }
        finally
        {
            await written.CancelAsync();
            await reader;
        }
    }
}
