namespace ItChatBot.Storage.Postgres.Tests.Delivery;

public sealed class PostgresInboxContract : InboxContract
{
    protected override async Task<DeliveryStores> CreateStoresAsync() => await PostgresDeliveryStores.CreateAsync();
}

public sealed class PostgresOutboxContract : OutboxContract
{
    protected override async Task<DeliveryStores> CreateStoresAsync() => await PostgresDeliveryStores.CreateAsync();
}

public sealed class PostgresAuditLogContract : AuditLogContract
{
    protected override async Task<DeliveryStores> CreateStoresAsync() => await PostgresDeliveryStores.CreateAsync();
}

public sealed class PostgresDirectoryContract : DirectoryContract
{
    protected override async Task<DeliveryStores> CreateStoresAsync() => await PostgresDeliveryStores.CreateAsync();
}
