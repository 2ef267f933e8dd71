using System.Text.Json;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using ItChatBot.Teams.Activities;
using ItChatBot.Teams.Storage;
using ItChatBot.Testing;

namespace ItChatBot.Teams.Tests;

/// <summary>What every <see cref="IConversationReferences"/> does, run on the LiteDB file and on PostgreSQL.</summary>
public abstract class ConversationReferencesContract : IAsyncLifetime
{
    protected const string ServiceUrl = "https://smba.trafficmanager.net/emea/";

    protected IConversationReferences References { get; private set; } = null!;

    protected abstract Task<IConversationReferences> CreateAsync();

    public async Task InitializeAsync() => References = await CreateAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task An_activity_records_its_conversation_and_its_sender_found_by_directory_id_or_teams_id()
    {
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice"));

        Assert.Equal(new TeamsConversation("a:conv-1", ServiceUrl, "tenant-1", "channel", "28:bot", "ItChatBot"), await References.FindConversationAsync("a:conv-1"));
        var alice = new TeamsUser("aad-alice", "29:alice", "Alice", ServiceUrl, "tenant-1", "28:bot", "ItChatBot", null);
        Assert.Equal(alice, await References.FindUserAsync("aad-alice"));
        Assert.Equal(alice, await References.FindUserAsync("29:alice"));
        Assert.Null(await References.FindUserAsync("aad-bob"));
        Assert.Null(await References.FindConversationAsync("a:conv-2"));
    }

    [Fact]
    public async Task An_activity_without_a_service_url_or_conversation_records_nothing()
    {
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice") with { ServiceUrl = null });
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice") with { Conversation = null });

        Assert.Null(await References.FindConversationAsync("a:conv-1"));
        Assert.Null(await References.FindUserAsync("aad-alice"));
    }

    [Fact]
    public async Task A_sender_without_a_directory_id_is_kept_under_their_teams_id()
    {
        await References.RememberAsync(Message("a:conv-1", "groupChat", "29:guest", null, "Guest"));

        Assert.Equal("29:guest", (await References.FindUserAsync("29:guest"))?.UserId);
    }

    [Fact]
    public async Task A_personal_chat_stays_the_users_and_what_a_later_activity_lacks_keeps_what_was_known()
    {
        await References.RememberAsync(Message("a:dm-alice", "personal", "29:alice", "aad-alice", "Alice"));
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", null) with
        {
            Conversation = new ConversationAccount("a:conv-1", "channel"),
            ServiceUrl = ServiceUrl + "v2/",
        });

        Assert.Equal(
            new TeamsUser("aad-alice", "29:alice", "Alice", ServiceUrl + "v2/", "tenant-1", "28:bot", "ItChatBot", "a:dm-alice"),
            await References.FindUserAsync("aad-alice"));
        Assert.Null((await References.FindConversationAsync("a:conv-1"))!.TenantId);
    }

    [Fact]
    public async Task A_conversations_new_service_url_replaces_the_old_one()
    {
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice"));
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice") with { ServiceUrl = "https://smba.trafficmanager.net/amer/" });

        Assert.Equal("https://smba.trafficmanager.net/amer/", (await References.FindConversationAsync("a:conv-1"))!.ServiceUrl);
        Assert.Equal("https://smba.trafficmanager.net/amer/", (await References.FindUserAsync("aad-alice"))!.ServiceUrl);
    }

    [Fact]
    public async Task A_personal_chat_the_bot_opened_is_saved_with_the_user()
    {
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice"));
        var alice = (await References.FindUserAsync("aad-alice"))!;

        await References.SavePersonalConversationAsync(alice, "a:dm-new");

        Assert.Equal(alice with { PersonalConversationId = "a:dm-new" }, await References.FindUserAsync("29:alice"));
    }

    [Fact]
    public async Task Names_that_carry_a_NUL_in_the_activity_are_remembered_without_it()
    {
        // As the endpoint and the inbound processor read a body: the NUL comes as JSON's \u0000.
        var activity = JsonSerializer.Deserialize<Activity>("""
            {"type":"message","id":"1","serviceUrl":"https://smba.trafficmanager.net/emea/","channelId":"msteams",
             "from":{"id":"29:alice","name":"Ali\u0000ce","aadObjectId":"aad-alice"},"recipient":{"id":"28:bot","name":"It\u0000ChatBot"},
             "conversation":{"id":"a:conv-1","conversationType":"channel","tenantId":"tenant-1"},"text":"hello"}
            """, ActivityReader.Json)!;

        await References.RememberAsync(activity);

        Assert.Equal(new TeamsUser("aad-alice", "29:alice", "Alice", ServiceUrl, "tenant-1", "28:bot", "ItChatBot", null), await References.FindUserAsync("aad-alice"));
        Assert.Equal("ItChatBot", (await References.FindConversationAsync("a:conv-1"))!.BotName);
    }

    protected static Activity Message(string conversationId, string type, string teamsUserId, string? aadId, string? name) => new()
    {
        Type = "message",
        ServiceUrl = ServiceUrl,
        ChannelId = "msteams",
        From = new ChannelAccount(teamsUserId, name, aadId),
        Recipient = new ChannelAccount("28:bot", "ItChatBot"),
        Conversation = new ConversationAccount(conversationId, type, "tenant-1"),
        Text = "hello",
    };
}

/// <summary>The conversation references contract on a real LiteDB file.</summary>
public sealed class LiteDbConversationReferencesContract : ConversationReferencesContract
{
    private readonly TempFolder _folder = new();
    private LiteDbStore _store = null!;

    protected override Task<IConversationReferences> CreateAsync()
    {
        _store = new LiteDbStore(_folder.File("data.db"));
        return Task.FromResult<IConversationReferences>(new LiteDbConversationReferences(_store));
    }

    public override Task DisposeAsync()
    {
        _store.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Its_collections_exist_before_anything_can_read_them() => LiteDbCollections.AssertMade(_store, "teams_conversations", "teams_users");
}

/// <summary>
/// The conversation references contract on PostgreSQL, and what several instances need: what one instance writes, another
/// reads at once (no memory copy serves an old one), and two instances remembering one user at once lose nothing.
/// </summary>
public sealed class PostgresConversationReferencesContract : ConversationReferencesContract
{
    private PostgresTestDatabase _test = null!;
    private PostgresDatabase _db = null!;

    protected override async Task<IConversationReferences> CreateAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        _db = new PostgresDatabase(_test.ConnectionString);
        await _db.MigrateAsync();
        return new PostgresConversationReferences(_db);
    }

    public override async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _test.DisposeAsync();
    }

    [Fact]
    public async Task What_one_instance_writes_another_that_read_before_sees_at_once()
    {
        await using var other = new PostgresDatabase(_test.ConnectionString);
        var second = new PostgresConversationReferences(other);
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice"));
        var alice = (await second.FindUserAsync("aad-alice"))!;
        Assert.Equal(ServiceUrl, (await second.FindConversationAsync("a:conv-1"))!.ServiceUrl);

        await References.SavePersonalConversationAsync(alice, "a:dm-alice");
        await References.RememberAsync(Message("a:conv-1", "channel", "29:alice", "aad-alice", "Alice") with { ServiceUrl = "https://smba.trafficmanager.net/amer/" });

        Assert.Equal("a:dm-alice", (await second.FindUserAsync("aad-alice"))!.PersonalConversationId);
        Assert.Equal("https://smba.trafficmanager.net/amer/", (await second.FindConversationAsync("a:conv-1"))!.ServiceUrl);
    }

    [Fact]
    public async Task Two_instances_remembering_one_user_at_once_keep_the_personal_chat()
    {
        await using var other = new PostgresDatabase(_test.ConnectionString);
        var second = new PostgresConversationReferences(other);

        for (var i = 0; i < 20; i++)
        {
            var (aad, teams) = ($"aad-{i}", $"29:user-{i}");
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var personal = Task.Run(async () => { await start.Task; await References.RememberAsync(Message($"a:dm-{i}", "personal", teams, aad, "User")); });
            var channel = Task.Run(async () => { await start.Task; await second.RememberAsync(Message("a:conv-1", "channel", teams, aad, "User")); });
            start.SetResult();
            await Task.WhenAll(personal, channel);

            Assert.Equal($"a:dm-{i}", (await second.FindUserAsync(aad))!.PersonalConversationId);
        }
    }
}
