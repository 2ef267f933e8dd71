using System.CommandLine;
using ItChatBot.Core.Audit;
using ItChatBot.Host.Cli;

namespace ItChatBot.Host.Exports;

/// <summary><c>itchatbot verify-audit</c>: exit 0 when the chain is intact, 1 naming the first entry that breaks it.</summary>
public sealed class VerifyAuditVerb(IAuditLog audit) : ICliVerb
{
    public Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("verify-audit", "Check the audit log's hash chain and report the first entry that breaks it.");
        command.SetAction(async (_, ct) =>
        {
            var result = await audit.VerifyAsync(ct);
            if (result.IsIntact)
            {
                await output.WriteLineAsync($"audit log intact: {result.Checked} entries, head {result.HeadHash}");
                return 0;
            }

            var place = result.BrokenPosition == result.BrokenSeq ? "" : $" (in place of #{result.BrokenPosition})";
            await output.WriteLineAsync($"audit log BROKEN at entry #{result.BrokenSeq}{place}: {result.Problem}");
            return 1;
        });
        return command;
    }
}
