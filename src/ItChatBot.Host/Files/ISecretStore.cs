namespace ItChatBot.Host.Files;

/// <summary>
/// Keys the service makes for itself and must keep (the file links' signing key): made once and then only read, so that
/// every instance sharing the store, and every restart, uses the same one.
/// </summary>
public interface ISecretStore
{
    /// <summary>
    /// Keeps <paramref name="candidate"/> under <paramref name="id"/> unless a value is kept there already, and returns the
    /// kept value: of two first uses at once (two instances starting together) one candidate wins, and both get it.
    /// </summary>
    Task<byte[]> GetOrAddAsync(string id, byte[] candidate, CancellationToken cancellationToken = default);
}
