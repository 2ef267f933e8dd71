using System.CommandLine;
using System.CommandLine.Invocation;
using ItChatBot.Core.Import;
using ItChatBot.Core.Storage;
using ItChatBot.Storage.LiteDb;

namespace ItChatBot.Host.Cli;

/// <summary>
/// The host binary's verbs (<c>itchatbot import FILE</c>, <c>seed-demo</c>, <c>rebuild</c>, and those other
/// parts register as <see cref="ICliVerb"/>, such as <c>kpi</c> and <c>verify-audit</c>). They use the same services and settings as the web host.
/// </summary>
public static class CommandLine
{
    public static bool IsVerb(string[] args) => args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal);

    /// <summary>Runs a verb: results on <paramref name="output"/> (stdout), errors on <paramref name="error"/> (stderr).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddItChatBotServices(builder.Configuration);
        using var host = builder.Build();
        return await BuildRoot(host.Services, output ?? Console.Out, error ?? Console.Error).Parse(args).InvokeAsync();
    }

    /// <param name="output">Where results go (stdout): reports, cards, JSON.</param>
    /// <param name="error">Where error messages go (stderr); without one, they go to <paramref name="output"/>.</param>
    public static RootCommand BuildRoot(IServiceProvider services, TextWriter output, TextWriter? error = null)
    {
        error ??= output;
        var root = new RootCommand("ItChatBot: a chat service desk for Slack, Teams and the local web chat.");
        root.Subcommands.Add(Import(services, output, error));
        root.Subcommands.Add(SeedDemo(services, output, error));
        root.Subcommands.Add(Rebuild(services, output));
        List<ICliVerb> verbs;
        try
        {
            verbs = [.. services.GetServices<ICliVerb>()];
        }
        catch (Exception ex) when (InUseGuard.InUse(ex) is { } inUse)
        {
            // Verbs that take the store in their constructor cannot even be listed: whatever was asked gets the one answer.
            var refusing = new RootCommand(root.Description ?? "") { TreatUnmatchedTokensAsErrors = false };
            refusing.SetAction(async (_, _) =>
            {
                await error.WriteLineAsync($"error: {inUse.Message}");
                return 2;
            });
            return refusing;
        }

        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb.Build(output, error));
        }

        RefuseWhileTheFileIsInUse(root, error);
        return root;
    }

    /// <summary>
    /// Every verb that opens the data file while another process has it (the running service) says so and exits with 2, instead of
    /// the stack trace of an unhandled exception.
    /// </summary>
    private static void RefuseWhileTheFileIsInUse(Command command, TextWriter error)
    {
        command.Action = command.Action switch
        {
            AsynchronousCommandLineAction action => new InUseGuard(action, error),
            SynchronousCommandLineAction action => new InUseGuard(new SynchronousAsAsync(action), error),
            var other => other,
        };
        foreach (var sub in command.Subcommands)
        {
            RefuseWhileTheFileIsInUse(sub, error);
        }
    }

    private sealed class InUseGuard(AsynchronousCommandLineAction inner, TextWriter error) : AsynchronousCommandLineAction
    {
        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.InvokeAsync(parseResult, cancellationToken);
            }
            catch (Exception ex) when (InUse(ex) is { } inUse)
            {
                await error.WriteLineAsync($"error: {inUse.Message}");
                return 2;
            }
        }

        public static DataFileInUseException? InUse(Exception? ex)
        {
            for (; ex is not null; ex = ex.InnerException)
            {
                if (ex is DataFileInUseException inUse)
                {
                    return inUse;
                }
            }

            return null;
        }
    }

    private sealed class SynchronousAsAsync(SynchronousCommandLineAction inner) : AsynchronousCommandLineAction
    {
        public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default) =>
            Task.FromResult(inner.Invoke(parseResult));
    }

    private static Command Import(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "A .jsonl history (one ticket event per line, DESIGN §6) or a .csv ticket export from Jira Service Management or Freshservice.",
        };
        var command = new Command("import", "Load ticket history. Importing the same file twice changes nothing.") { file };
        command.SetAction(async (result, ct) =>
        {
            var path = result.GetValue(file)!;
            if (System.IO.Directory.Exists(path.FullName))
            {
                await error.WriteLineAsync($"error: {path.FullName} is a folder; give the .jsonl or .csv file to import.");
                return 2;
            }

            if (!path.Exists)
            {
                await error.WriteLineAsync($"error: {path.FullName} does not exist.");
                return 2;
            }

            if (!Supported(path, services))
            {
                await error.WriteLineAsync($"error: {path.Name} is neither a .jsonl history nor a .csv ticket export.");
                return 2;
            }

            if (IsBlank(path))
            {
                // An empty export is a mistake worth saying so, not a successful import of nothing.
                await error.WriteLineAsync($"error: {path.Name} is empty; nothing was imported.");
                return 2;
            }

            if (!path.Extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase) && services.GetServices<IHistoryFileImporter>().FirstOrDefault(i => i.Handles(path)) is { } other)
            {
                return await other.ImportAsync(path, output, ct);
            }

            using var reader = path.OpenText();
            var report = await services.GetRequiredService<HistoryImporter>().ImportJsonlAsync(reader, ct);
            foreach (var rejected in report.Rejected)
            {
                await output.WriteLineAsync($"line {rejected.Line}: {rejected.Reason}");
            }

            await output.WriteLineAsync(
                $"{report.Lines} lines: {report.Appended} events imported, {report.Skipped} already present, {report.Rejected.Count} rejected.");
            return report.Rejected.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static bool Supported(FileInfo path, IServiceProvider services) =>
        path.Extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase) || services.GetServices<IHistoryFileImporter>().Any(i => i.Handles(path));

    /// <summary>Nothing but a byte-order mark and white space (the reader drops the mark).</summary>
    private static bool IsBlank(FileInfo path)
    {
        using var reader = path.OpenText();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (!char.IsWhiteSpace((char)c))
            {
                return false;
            }
        }

        return true;
    }

    private static Command SeedDemo(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var days = new Option<int>("--days") { Description = "Days of history to generate, ending now.", DefaultValueFactory = _ => 90 };
        var perDay = new Option<int>("--per-day") { Description = "Tickets created per day, on average.", DefaultValueFactory = _ => 40 };
        var seed = new Option<int>("--seed") { Description = "Random seed, for the same history every time.", DefaultValueFactory = _ => 1042 };
        var command = new Command("seed-demo", "Create a demo directory (people, managers, four support teams) and synthetic ticket history.") { days, perDay, seed };
        command.SetAction(async (result, ct) =>
        {
            var (d, p) = (result.GetValue(days), result.GetValue(perDay));
            if (d < 0 || p < 0)
            {
                await error.WriteLineAsync("error: --days and --per-day must be zero or more.");
                return 2;
            }

            var seeder = ActivatorUtilities.CreateInstance<DemoSeeder>(services);
            var summary = await seeder.SeedAsync(d, p, result.GetValue(seed), ct);
            await output.WriteLineAsync($"seeded {summary.People} people, {summary.Tickets} tickets, {summary.Deflections} deflections, {summary.Events} events.");
            return 0;
        });
        return command;
    }

    private static Command Rebuild(IServiceProvider services, TextWriter output)
    {
        var command = new Command("rebuild", "Rebuild every projection from the event log.");
        command.SetAction(async (_, ct) =>
        {
            await services.GetRequiredService<ITicketStore>().RebuildAsync(ct);
            await output.WriteLineAsync($"rebuilt projections from {await services.GetRequiredService<IEventLog>().CountAsync(ct)} events.");
            return 0;
        });
        return command;
    }
}

/// <summary>A verb added by another part of the host, registered in DI.</summary>
public interface ICliVerb
{
    /// <summary>The verb's command: results to <paramref name="output"/> (stdout), error messages to <paramref name="error"/> (stderr).</summary>
    Command Build(TextWriter output, TextWriter error);
}

/// <summary>An importer for another history format (e.g. a Jira or Freshservice CSV export).</summary>
public interface IHistoryFileImporter
{
    bool Handles(FileInfo file);

    Task<int> ImportAsync(FileInfo file, TextWriter output, CancellationToken cancellationToken);
}
