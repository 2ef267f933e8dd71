namespace ItChatBot.Core.Directory;

/// <summary>The configured support teams, looked up by name or key prefix, case-insensitively.</summary>
public sealed class SupportTeams
{
    private readonly Dictionary<string, SupportTeam> _byName;

    public SupportTeams(IEnumerable<SupportTeam> teams)
    {
        _byName = new(StringComparer.OrdinalIgnoreCase);
        foreach (var team in teams)
        {
            _byName[team.Name] = team;
        }

        if (_byName.Count == 0)
        {
            foreach (var team in Defaults())
            {
                _byName[team.Name] = team;
            }
        }
    }

    public IReadOnlyCollection<SupportTeam> All => _byName.Values;

    /// <summary>The team's time zone, in which its people read times (UTC for a team not configured, or one with no zone set).</summary>
    public TimeZoneInfo ZoneOf(string? nameOrPrefix) => Sla.BusinessCalendar.FindZone(Find(nameOrPrefix)?.TimeZone);

    public SupportTeam? Find(string? nameOrPrefix) =>
        nameOrPrefix is null ? null
        : _byName.TryGetValue(nameOrPrefix, out var team) ? team
        : _byName.Values.FirstOrDefault(t => string.Equals(t.KeyPrefix, nameOrPrefix, StringComparison.OrdinalIgnoreCase));

    public SupportTeam Get(string nameOrPrefix) =>
        Find(nameOrPrefix) ?? throw new Tickets.DomainException(
            $"There is no support team '{nameOrPrefix}'; the teams are {string.Join(", ", _byName.Keys)}.");

    /// <summary>The four teams of DESIGN §2, used when configuration names none.</summary>
    public static IReadOnlyList<SupportTeam> Defaults() =>
    [
        Make("IT", "IT", ["access", "password", "hardware", "software", "network", "vpn", "email", "general"]),
        Make("Security", "SEC", ["phishing", "incident", "access-review", "general"]),
        Make("HR", "HR", ["payroll", "leave", "onboarding", "benefits", "general"]),
        Make("Finance", "FIN", ["expenses", "invoices", "purchasing", "general"]),
    ];

    private static SupportTeam Make(string name, string prefix, List<string> categories) => new()
    {
        Name = name,
        KeyPrefix = prefix,
        Categories = categories,
        TimeZone = "Europe/London",
        QueueChannels = new() { ["web"] = $"queue-{prefix.ToLowerInvariant()}" },
        Sla = new()
        {
            ["P1"] = new() { FirstResponse = TimeSpan.FromMinutes(15), Resolution = TimeSpan.FromHours(4) },
            ["P2"] = new() { FirstResponse = TimeSpan.FromHours(1), Resolution = TimeSpan.FromHours(8) },
            ["P3"] = new() { FirstResponse = TimeSpan.FromHours(4), Resolution = TimeSpan.FromHours(24) },
            ["P4"] = new() { FirstResponse = TimeSpan.FromHours(8), Resolution = TimeSpan.FromHours(40) },
        },
    };
}
