namespace ItChatBot.Core.Directory;

public static class Roles
{
    public const string Employee = "employee";
    public const string Agent = "agent";
    public const string Approver = "approver";
    public const string Lead = "lead";
    public const string Admin = "admin";
}
