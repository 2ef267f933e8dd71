using ItChatBot.Core.Directory;

namespace ItChatBot.Automation.Steps;

internal static class DirectoryUsers
{
    /// <summary>The requester's account in the identity system: by email where known, since ids differ between systems.</summary>
    public static async Task<DirectoryUser> RequireAsync(IDirectoryConnector connector, StepContext context, CancellationToken cancellationToken)
    {
        var key = context.Requester is { Email.Length: > 0 } person ? person.Email : context.Run.Requester;
        return await connector.FindUserAsync(key, cancellationToken)
            ?? throw new PermanentStepException($"{key} has no account in the {connector.Name} directory.");
    }
}
