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
        services.AddSingleton<FileLinkSigner>();
        services.AddSingleton<FileStore>();
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
