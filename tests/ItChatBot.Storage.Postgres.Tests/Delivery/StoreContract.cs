namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>A fresh <see cref="DeliveryStores"/> for each test; a subclass per store says which.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    protected DeliveryStores Stores { get; private set; } = null!;

    protected abstract Task<DeliveryStores> CreateStoresAsync();

    public async Task InitializeAsync() => Stores = await CreateStoresAsync();

    public async Task DisposeAsync() => await Stores.DisposeAsync();
}
