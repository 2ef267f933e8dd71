using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using ItChatBot.Teams.Tests.Infrastructure;
using ItChatBot.Testing;
using NJsonSchema;

namespace ItChatBot.Teams.Tests;

/// <summary>The Teams app package: manifest against the vendored v1.29 schema, the two icons, and the zip command.</summary>
public sealed class ManifestTests
{
    private static string Folder => Path.Combine(RepositoryRoot.Path, "manifests", "teams");

    [Fact]
    public async Task The_manifest_validates_against_the_teams_v1_29_schema()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepositoryRoot.Shared, "protocols", "schemas", "teams-manifest-v1.29.schema.json"));

        var errors = schema.Validate(await File.ReadAllTextAsync(Path.Combine(Folder, "manifest.json")));

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public async Task The_schema_check_catches_a_broken_manifest()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepositoryRoot.Shared, "protocols", "schemas", "teams-manifest-v1.29.schema.json"));
        var broken = (await File.ReadAllTextAsync(Path.Combine(Folder, "manifest.json"))).Replace("\"accentColor\"", "\"accentColour\"", StringComparison.Ordinal);

        Assert.NotEmpty(schema.Validate(broken));
    }

    [Fact]
    public void The_manifest_offers_the_typed_commands()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        var titles = manifest.RootElement.GetProperty("bots")[0].GetProperty("commandLists")
            .EnumerateArray().SelectMany(l => l.GetProperty("commands").EnumerateArray()).Select(c => c.GetProperty("title").GetString()).ToHashSet();

        Assert.Contains("it status", titles);
        Assert.Contains("kpi backlog", titles);
        Assert.Contains("it help", titles);
    }

    [Fact]
    public void The_color_icon_is_192_square_and_opaque()
    {
        var png = Png.Read(Path.Combine(Folder, "color.png"));

        Assert.Equal((192, 192), (png.Width, png.Height));
        Assert.Equal(6, png.ColorType);
        Assert.All(Enumerable.Range(0, 192 * 192), i => Assert.Equal(255, png.Rgba[(i * 4) + 3]));
    }

    [Fact]
    public void The_outline_icon_is_32_square_white_on_transparent()
    {
        var png = Png.Read(Path.Combine(Folder, "outline.png"));

        Assert.Equal((32, 32), (png.Width, png.Height));
        var pixels = Enumerable.Range(0, 32 * 32).Select(i => png.Pixel(i % 32, i / 32)).ToList();
        Assert.All(pixels, p => Assert.True(p.A == 0 || (p.R, p.G, p.B) == (255, 255, 255), $"pixel {p} is neither transparent nor white"));
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
    }

    [Fact]
    public async Task The_package_command_zips_the_manifest_with_the_bot_id_and_both_icons()
    {
        using var temp = new TempFolder();
        var zip = temp.File("app.zip");
        const string botId = "7f1c2b9e-3d4a-4e5f-8a6b-1c2d3e4f5a6b";

        var (exit, output) = await RunAsync("run", Path.Combine(Folder, "package.cs"), "--", "--bot-id", botId, "--out", zip);

        Assert.True(exit == 0, output);
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], archive.Entries.Select(e => e.FullName).Order());
        using var manifest = await JsonDocument.ParseAsync(archive.GetEntry("manifest.json")!.Open());
        Assert.Equal(botId, manifest.RootElement.GetProperty("bots")[0].GetProperty("botId").GetString());

        var (badExit, badOutput) = await RunAsync("run", Path.Combine(Folder, "package.cs"), "--", "--bot-id", "not-a-guid", "--out", temp.File("bad.zip"));
        Assert.Equal(2, badExit);
        Assert.Contains("must be the bot's Microsoft App ID", badOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("bad.zip")));
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
