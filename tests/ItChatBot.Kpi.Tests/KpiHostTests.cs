using ItChatBot.Testing;

namespace ItChatBot.Kpi.Tests;

/// <summary>The real host with the hand-built KPI history in its log and its clock at that history's end.</summary>
public abstract class KpiHostTests(IReadOnlyDictionary<string, string?>? settings = null) : IAsyncLifetime, IDisposable
{
    protected ItChatBotApp App { get; } = new(settings);

    protected HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = App.CreateClient();
        App.Clock.SetUtcNow(KpiHistory.Now);
        await App.EventLog.AppendAsync(KpiHistory.All());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
        GC.SuppressFinalize(this);
    }
}
