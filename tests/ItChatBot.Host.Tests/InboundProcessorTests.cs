using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Host.Tests;

public sealed class InboundProcessorTests
{
    [Fact]
    public async Task An_envelope_whose_handling_is_cancelled_fails_alone_and_the_processor_goes_on()
    {
        // A handler's own cancellation (a call that timed out, say) is that envelope's failure. Before, it left the
        // processor's loop as if the host were stopping, and the host stopped.
        var handler = new CancellingHandler();
        using var app = new HandlerApp(handler);
        var journal = app.Get<IInboundJournal>();

        await journal.WriteAsync(new InboundEnvelope("test:1", CancellingHandler.Channel, "kind", "cancel", app.Clock.GetUtcNow()));
        await journal.WriteAsync(new InboundEnvelope("test:2", CancellingHandler.Channel, "kind", "ok", app.Clock.GetUtcNow()));
        await handler.Handled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var failed = app.Get<LiteDbStore>().Database.GetCollection("inbox").FindById("test:1");
        Assert.True(failed["done"].AsBoolean);
        Assert.Contains("canceled", failed["error"].AsString, StringComparison.Ordinal);
        Assert.Equal(["test:1", "test:2"], handler.Seen);
    }

    private sealed class HandlerApp(IEnvelopeHandler handler) : ItChatBotApp
    {
        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton(handler);
    }

    /// <summary>A channel whose "cancel" envelopes are cancelled mid-handling, as a timed-out call would be.</summary>
    private sealed class CancellingHandler : IEnvelopeHandler
    {
        public const string Channel = "cancelling";

        public List<string> Seen { get; } = [];

        public TaskCompletionSource Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        string IEnvelopeHandler.Channel => Channel;

        public Task<bool> HandleAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
        {
            Seen.Add(envelope.PlatformId);
            if (envelope.Body == "cancel")
            {
                throw new TaskCanceledException();
            }

            Handled.TrySetResult();
            return Task.FromResult(false);
        }
    }
}
