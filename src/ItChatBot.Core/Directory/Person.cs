namespace ItChatBot.Core.Directory;

/// <summary>Someone the service desk knows. <see cref="PlatformIds"/> maps a channel (slack, teams, web) to that platform's user id.</summary>
public sealed class Person
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Email { get; set; } = "";
    public string? ManagerId { get; set; }
    public List<string> Teams { get; set; } = [];
    public List<string> Roles { get; set; } = [Directory.Roles.Employee];
    public Dictionary<string, string> PlatformIds { get; set; } = [];
    public string? Title { get; set; }

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    public bool IsAgentOf(string team) => HasRole(Directory.Roles.Agent) && Teams.Contains(team, StringComparer.OrdinalIgnoreCase);

    public bool IsLeadOf(string team) => HasRole(Directory.Roles.Lead) && Teams.Contains(team, StringComparer.OrdinalIgnoreCase);
}
