using System.Net.Http.Json;
using ItChatBot.Core.Conversations;
using ItChatBot.Core.Storage;
using ItChatBot.Host.Delivery;
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

    [Fact]
    public async Task A_delivery_the_start_sweep_failed_is_handled_when_an_operator_retries_it()
    {
        // Pending at start (the service stopped after its ack), handled by the start-up sweep, and failed there. Before,
        // the processor passed over every queued copy of an id the sweep had handled, so the retry was never handled.
        var handler = new FailingOnceHandler();
        using var app = new HandlerApp(handler);
        using (var before = new LiteDbStore(Path.Combine(app.DataFolder, "itchatbot.db")))
        {
            Assert.True(await before.TryAcceptAsync(new InboundEnvelope("test:1", FailingOnceHandler.Channel, "kind", "{}", app.Clock.GetUtcNow())));
        }

        using var client = app.CreateClient();
        await app.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));
        var inbox = app.Get<IInbox>();
        Assert.Equal("the connector was down", (await inbox.FindAsync("test:1"))!.Error);

        var retried = await client.PostAsync(new Uri("/api/inbox/test:1/retry", UriKind.Relative), null);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, retried.StatusCode);
        await handler.Handled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The handler has returned; the processor marks the envelope processed after it.
        var stored = (await inbox.FindAsync("test:1"))!;
        for (var waited = 0; stored.ProcessedAt is null && waited < 600; waited++)
        {
            await Task.Delay(50);
            stored = (await inbox.FindAsync("test:1"))!;
        }

        Assert.Equal(["test:1", "test:1"], handler.Seen);
        Assert.NotNull(stored.ProcessedAt);
        Assert.Null(stored.Error);
        Assert.Empty(await inbox.FailedAsync(10));
    }

    [Fact]
    public async Task A_web_chat_message_left_pending_by_a_stop_is_handled_at_the_next_start()
    {
        // Stored by /chat/send, and the service stopped before its turn ended. Before, the start-up sweep found no handler
        // for the web channel and recorded it as failed.
        using var app = new ItChatBotApp();
        using (var before = new LiteDbStore(Path.Combine(app.DataFolder, "itchatbot.db")))
        {
            var body = """{"person":"erin","text":"my laptop will not start","conversation":null,"thread":null,"clientMessageId":"c-9"}""";
            Assert.True(await before.TryAcceptAsync(new InboundEnvelope("web:c-9", "web", "InboundMessage", body, app.Clock.GetUtcNow())));
        }

        using var client = app.CreateClient();
        await app.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));

        var stored = (await app.Get<IInbox>().FindAsync("web:c-9"))!;
        Assert.NotNull(stored.ProcessedAt);
        Assert.Null(stored.Error);
        var ticket = Assert.Single(await app.Get<ITicketStore>().QueryAsync(new TicketQuery()));
        Assert.Equal(("erin", "my laptop will not start"), (ticket.Requester, ticket.Subject));
        Assert.Contains(
            await app.Get<IOutbox>().ListConversationAsync("web", "dm-erin", 0),
            e => e.Message.Ticket == ticket.Key);
    }

    [Fact]
    public async Task A_web_chat_message_sent_while_the_start_up_sweep_reads_is_handled_once()
    {
        // Stored before the sweep's read and still being handled by its request, a message was pending when the sweep read,
        // and the sweep handled it too. Here the read waits at a gate while a message is sent; the first handling of any
        // message waits until the sweep has finished.
        var app = new RacingApp();
        using var _ = app;
        using var client = app.CreateClient();

        var send = client.PostAsJsonAsync("/chat/send", new { person = "erin", text = "my laptop will not start", clientMessageId = "c-1" });
        await Task.WhenAny(app.Handler.Entered.Task, Task.Delay(TimeSpan.FromSeconds(1)));
        app.Inbox.Gate.SetResult();
        await app.Get<InboundProcessor>().Recovered.WaitAsync(TimeSpan.FromSeconds(30));
        app.Handler.Release.SetResult();
        (await send.WaitAsync(TimeSpan.FromSeconds(30))).EnsureSuccessStatusCode();

        Assert.Equal(1, app.Handler.Calls);
        var stored = (await app.Get<IInbox>().FindAsync("web:c-1"))!;
        Assert.NotNull(stored.ProcessedAt);
        Assert.Null(stored.Error);
    }

    private sealed class RacingApp : ItChatBotApp
    {
        public BlockingHandler Handler { get; } = new();

        public GatedSweepInbox Inbox => (GatedSweepInbox)Get<IInbox>();

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            services.AddSingleton<IMessageHandler>(Handler);
            services.AddSingleton<IInbox>(sp => new GatedSweepInbox(sp.GetRequiredService<LiteDbStore>()));
        }
    }

    /// <summary>First in line for every message; its first handling waits for <see cref="Release"/>.</summary>
    private sealed class BlockingHandler : IMessageHandler
    {
        private int _calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public int Order => int.MinValue;

        public async Task<bool> TryHandleAsync(Turn turn, InboundMessage message, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.SetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return true;
        }
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

    /// <summary>A channel whose first handling of anything fails, as a connector that was down would; later ones succeed.</summary>
    private sealed class FailingOnceHandler : IEnvelopeHandler
    {
        public const string Channel = "failing-once";

        public List<string> Seen { get; } = [];

        public TaskCompletionSource Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        string IEnvelopeHandler.Channel => Channel;

        public Task<bool> HandleAsync(InboundEnvelope envelope, CancellationToken cancellationToken)
        {
            Seen.Add(envelope.PlatformId);
            if (Seen.Count == 1)
            {
                throw new InvalidOperationException("the connector was down");
            }

            Handled.TrySetResult();
            return Task.FromResult(false);
        }
    }
}
