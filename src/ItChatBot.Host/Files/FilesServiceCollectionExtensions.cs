using ItChatBot.Storage.LiteDb;
using ItChatBot.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace ItChatBot.Host.Files;

public static class FilesServiceCollectionExtensions
{
    /// <summary>Signed download links: settings <c>Host:PublicBaseUrl</c> and <c>Host:FileLinks</c>, checked at start.</summary>
    public static IServiceCollection AddFileLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FileLinkOptions>()
            .Bind(configuration.GetSection(FileLinkOptions.Section))
            .Configure(o => o.PublicBaseUrl = configuration["Host:PublicBaseUrl"])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FileLinkOptions>, FileLinkOptionsValidator>();
        // PostgreSQL when the host registers it (several instances share the files and the one signing key); else the LiteDB file.
        services.AddSingleton<ISecretStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresSecretStore(pg)
            : new LiteDbSecretStore(sp.GetRequiredService<LiteDbStore>()));
        services.AddSingleton<IFileStore>(sp => sp.GetService<PostgresDatabase>() is { } pg
            ? new PostgresFileStore(pg)
            : new LiteDbFileStore(sp.GetRequiredService<LiteDbStore>()));
        services.AddSingleton<FileLinkSigner>();
        services.AddSingleton<FileLinks>();
        return services;
    }
}

/// <summary>Says which setting is wrong and what it should be.</summary>
internal sealed class FileLinkOptionsValidator : IValidateOptions<FileLinkOptions>
{
    public ValidateOptionsResult Validate(string? name, FileLinkOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
