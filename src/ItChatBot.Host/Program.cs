using ItChatBot.Host;
using ItChatBot.Host.Cli;

if (CommandLine.IsVerb(args))
{
    return await CommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddItChatBot();
var app = builder.Build();
app.MapItChatBot();
await app.RunAsync();
return 0;

public partial class Program;
