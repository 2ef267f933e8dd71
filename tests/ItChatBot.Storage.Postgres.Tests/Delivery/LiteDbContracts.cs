namespace ItChatBot.Storage.Postgres.Tests.Delivery;

public sealed class LiteDbInboxContract : InboxContract
{
    protected override Task<DeliveryStores> CreateStoresAsync() => Task.FromResult<DeliveryStores>(new LiteDbDeliveryStores());
}

public sealed class LiteDbOutboxContract : OutboxContract
{
    protected override Task<DeliveryStores> CreateStoresAsync() => Task.FromResult<DeliveryStores>(new LiteDbDeliveryStores());
}

public sealed class LiteDbAuditLogContract : AuditLogContract
{
    protected override Task<DeliveryStores> CreateStoresAsync() => Task.FromResult<DeliveryStores>(new LiteDbDeliveryStores());
}

public sealed class LiteDbDirectoryContract : DirectoryContract
{
    protected override Task<DeliveryStores> CreateStoresAsync() => Task.FromResult<DeliveryStores>(new LiteDbDeliveryStores());
}
