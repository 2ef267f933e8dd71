using ItChatBot.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ItChatBot.Testing;

/// <summary>
/// The real host in memory with only three things swapped: the clock (a <see cref="FakeTimeProvider"/>),
/// the data file (a fresh LiteDB file in a temp folder), and any settings a test adds (e.g. outbound URLs
/// pointing at WireMock on 127.0.0.1). A test that touches state makes its own.
/// </summary>
public class ItChatBotApp : WebApplicationFactory<Program>
{
    private readonly TempFolder _folder = new();
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

    public ItChatBotApp(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings["Storage:Provider"] = "LiteDb";
        _settings["Storage:LiteDb:Path"] = _folder.File("itchatbot.db");
        // Several test hosts share two cores with other test processes of normal priority; at nice 10 their
        // background loops get a tenth of a core and fall behind (BackgroundLaneTests checks the lowering itself).
        _settings["Host:LowerBackgroundPriority"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>Starts at a fixed Monday morning, 2026-03-02 09:00 UTC, so business-hours arithmetic is predictable.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public string DataFolder => _folder.Path;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public IEventLog EventLog => Get<IEventLog>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // UseSetting, not ConfigureAppConfiguration: Program reads some settings (store, channels) while it
        // builds, before configuration added by ConfigureAppConfiguration is visible.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            ConfigureTestServices(services);
        });
    }

    /// <summary>For a subclass that must swap one more thing; keep it to what cannot run for real.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _folder.Dispose();
        }
    }
}
