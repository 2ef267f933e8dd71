using System.Net;
using System.Net.Sockets;
using ItChatBot.Automation.Workflows;
using ItChatBot.Core.Queues;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Queues.Tests;

public sealed class FailedRunTests
{
    /// <summary>
    /// A host whose software endpoint is configured at a loopback port nothing listens on: every call is refused, so the
    /// software install's run fails once its attempts are spent.
    /// </summary>
    private static QueueApp RefusingSoftwareEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new QueueApp(new Dictionary<string, string?>
        {
            ["Automation:Endpoints:software:BaseUrl"] = $"http://127.0.0.1:{port}/",
            // The hosted resumer's own timer never falls due in a test: the test's passes are the only ones.
            ["Automation:ResumeInterval"] = "1.00:00:00",
        });
    }

    /// <summary>
    /// Lets the run's retries fall due, one resumer pass a minute, until it has failed (the step's two retries, with
    /// back-off). No SLA monitor pass runs (the queue's background passes are off): the resumer's own pass puts the ticket
    /// it handed to people on its queue. Before, that waited for the monitor's next pass.
    /// </summary>
    private static async Task UntilFailedAsync(QueueApp app, string key)
    {
        for (var pass = 0; pass < 10 && !(await app.EventsAsync(key)).Any(e => e.Type == EventType.WorkflowFailed); pass++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await app.Get<WorkflowResumer>().RunOnceAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_failed_run_reaches_the_queue_as_one_card_that_says_what_failed()
    {
        using var app = RefusingSoftwareEndpoint();

        await app.SendAsync("erin", "please install Docker Desktop on my laptop");
        await UntilFailedAsync(app, "IT-1");

        var ticket = await app.TicketAsync("IT-1");
        var events = await app.EventsAsync(ticket.Key);
        Assert.Contains(events, e => e.Type == EventType.WorkflowFailed);
        Assert.Equal((TicketStatus.Open, null), (ticket.Status, ticket.Assignee));
        var queue = await app.ConversationAsync("queue-it", "alice");
        // The ticket's card is the only post: no separate notice before it.
        var post = Assert.Single(queue, m => m.UpdateOf is null);
        Assert.Equal(QueueIds.PostMessage(ticket.Key, "IT", "web"), post.Id);
        Assert.Contains("*Automation needs a person:* the *software-install* workflow failed at step 1: ", post.Text, StringComparison.Ordinal);
        Assert.Contains("refused", post.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Requester: Erin Employee", post.Text, StringComparison.Ordinal);
        Assert.Contains(QueueActions.Claim, post.Html, StringComparison.Ordinal);

        // Once an agent has it, the card still says why it is there, until a run starts again.
        await app.SendAsync("alice", $"/it claim {ticket.Key}");
        var claimed = (await app.ConversationAsync("queue-it", "alice")).Last(m => m.UpdateOf == post.Id);
        Assert.Contains("Automation needs a person", claimed.Text, StringComparison.Ordinal);
        Assert.Contains("Assignee: Alice Agent", claimed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_failed_run_the_requesters_card_says_the_team_has_it()
    {
        using var app = RefusingSoftwareEndpoint();

        await app.SendAsync("erin", "please install Docker Desktop on my laptop");
        await UntilFailedAsync(app, "IT-1");

        // Before: "Thanks Erin Employee, I'm handling this: Software install." above "Status: Open".
        var receipt = RequesterCard.ReceiptId("IT-1");
        var card = (await app.ConversationAsync("dm-erin", "erin")).Last(m => m.Id == receipt || m.UpdateOf == receipt);
        Assert.Contains("I couldn't finish this automatically, so the IT team has it now.", card.Text, StringComparison.Ordinal);
        Assert.Contains("Status: Open", card.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("I'm handling this", card.Text, StringComparison.Ordinal);

        // It keeps saying so as people work on it.
        await app.SendAsync("alice", "/it claim IT-1");
        card = (await app.ConversationAsync("dm-erin", "erin")).Last(m => m.UpdateOf == receipt);
        Assert.Contains("I couldn't finish this automatically, so the IT team has it now.", card.Text, StringComparison.Ordinal);
        Assert.Contains("Assignee: Alice Agent", card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_whose_endpoint_is_not_configured_is_off_and_its_request_goes_to_people_without_a_failed_run()
    {
        // The embedded default configures no software endpoint. Before: the install was started, failed at once at its
        // first step, and the failure counted in the workflow failure rate; "What do you need?" offered it too.
        using var app = new QueueApp();

        Assert.Contains("software-install", app.Get<WorkflowCatalog>().Unavailable.Keys);
        await app.SendAsync("erin", "please install Docker Desktop on my laptop");

        var ticket = await app.TicketAsync("IT-1");
        // The workflow's own priority (software-install.yaml: P4), as its run would have had; it was triage's default P3.
        Assert.Equal(("IT", "software", TicketStatus.New, "P4"), (ticket.Team, ticket.Category, ticket.Status, ticket.Priority));
        Assert.DoesNotContain(await app.EventsAsync(ticket.Key), e => e.Type is EventType.WorkflowStarted or EventType.WorkflowFailed);

        // Words that set a priority still do.
        await app.SendAsync("frank", "please install Slack on my laptop asap");
        Assert.Equal(("software", "P2"), ((await app.TicketAsync("IT-2")).Category, (await app.TicketAsync("IT-2")).Priority));
        var offer = Assert.Single(await app.SendAsync("erin", "hi"));
        Assert.Contains("I can do these myself:", offer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Software install", offer.Text, StringComparison.Ordinal);
    }
}
