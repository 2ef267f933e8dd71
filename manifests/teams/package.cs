// Builds the Teams app package (manifest.json + color.png + outline.png at the zip's root) with the bot's
// Microsoft App ID filled in. A .NET file-based app, so it needs only the SDK:
//   dotnet run manifests/teams/package.cs -- --bot-id <GUID> [--out teams-app.zip] [--version 1.0.1]
// The bot id may also come from Teams__AppId. Exit code 2 on bad arguments.
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

var folder = Path.GetDirectoryName(Path.GetFullPath(AppContext.GetData("EntryPointFilePath") as string ?? "manifests/teams/package.cs"))!;
string? botId = Environment.GetEnvironmentVariable("Teams__AppId");
string output = Path.Combine(Environment.CurrentDirectory, "teams-app.zip");
string? version = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--bot-id" when i + 1 < args.Length: botId = args[++i]; break;
        case "--out" when i + 1 < args.Length: output = Path.GetFullPath(args[++i]); break;
        case "--version" when i + 1 < args.Length: version = args[++i]; break;
        case "--manifest-folder" when i + 1 < args.Length: folder = Path.GetFullPath(args[++i]); break;
        default:
            Console.Error.WriteLine($"error: unknown argument '{args[i]}'. Use: --bot-id <GUID> [--out FILE.zip] [--version X.Y.Z]");
            return 2;
    }
}

if (!Guid.TryParse(botId, out var id) || id == Guid.Empty)
{
    Console.Error.WriteLine($"error: --bot-id must be the bot's Microsoft App ID, a GUID (got '{botId}').");
    return 2;
}

var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")))!.AsObject();
manifest["bots"]![0]!["botId"] = id.ToString();
if (version is not null)
{
    manifest["version"] = version;
}

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.Delete(output);
using (var zip = ZipFile.Open(output, ZipArchiveMode.Create))
{
    using (var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open()))
    {
        writer.Write(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    zip.CreateEntryFromFile(Path.Combine(folder, "color.png"), "color.png");
    zip.CreateEntryFromFile(Path.Combine(folder, "outline.png"), "outline.png");
}

Console.WriteLine($"wrote {output} (bot {id})");
return 0;
