using ItChatBot.Core.Audit;
using ItChatBot.Host;
using ItChatBot.Host.Cli;
using ItChatBot.Storage.LiteDb;
using ItChatBot.Testing;
using LiteDB;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ItChatBot.Approvals.Tests;

/// <summary>The chain on a real LiteDB file: each kind of tampering is found by verify-audit, at the entry where it happened.</summary>
public sealed class AuditChainTamperTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    private string DbPath => _folder.File("audit.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task An_untouched_log_verifies_and_every_entry_links_to_the_one_before()
    {
        var entries = await SeedAsync(5);
        Assert.Equal(AuditChain.Genesis, entries[0].PrevHash);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].Hash, entries[i].PrevHash);
            Assert.Equal(i + 1, entries[i].Seq);
        }

        var (code, output) = await VerifyCliAsync();
        Assert.Equal(0, code);
        Assert.Contains("audit log intact: 5 entries", output, StringComparison.Ordinal);
        Assert.Contains(entries[^1].Hash, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_a_stored_entry_is_found_at_that_entry()
    {
        await SeedAsync(6);
        Tamper(db =>
        {
            var col = db.GetCollection("audit");
            var doc = col.FindById(4);
            doc["d"] = new BsonArray(doc["d"].AsArray.Select(pair => pair[0].AsString == "decision" ? new BsonArray { "decision", "approved" } : pair));
            doc["actor"] = "mallory";
            col.Update(doc);
        });

        var (code, output) = await VerifyCliAsync();
        Assert.Equal(1, code);
        Assert.Contains("BROKEN at entry #4", output, StringComparison.Ordinal);
        Assert.Contains("was changed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_an_entry_and_recomputing_its_hash_is_found_at_the_next_entry()
    {
        await SeedAsync(6);
        Tamper(db =>
        {
            var col = db.GetCollection("audit");
            var doc = col.FindById(3);
            doc["actor"] = "mallory";
            var forged = LiteDbAuditLog.ToEntry(doc) with { Actor = "mallory" };
            doc["hash"] = AuditChain.ComputeHash(forged);
            col.Update(doc);
        });

        var result = await VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(4, result.BrokenSeq);
        Assert.Contains("previous hash", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_entry_in_the_middle_is_found_where_the_gap_is()
    {
        await SeedAsync(6);
        Tamper(db => db.GetCollection("audit").Delete(3));

        var (code, output) = await VerifyCliAsync();
        Assert.Equal(1, code);
        Assert.Contains("BROKEN at entry #4", output, StringComparison.Ordinal);
        Assert.Contains("#3..#3 are missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_last_entries_is_found_through_the_head()
    {
        await SeedAsync(6);
        Tamper(db =>
        {
            db.GetCollection("audit").Delete(6);
            db.GetCollection("audit").Delete(5);
        });

        var result = await VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(5, result.BrokenSeq);
        Assert.Contains("removed from the end", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapping_two_entries_is_found_at_the_first_moved_one()
    {
        await SeedAsync(6);
        Tamper(db =>
        {
            // Move every field, sequence number included, so the entries trade places in storage order.
            var col = db.GetCollection("audit");
            var a = col.FindById(2);
            var b = col.FindById(3);
            col.Delete(2);
            col.Delete(3);
            b["_id"] = 2;
            a["_id"] = 3;
            col.Insert(b);
            col.Insert(a);
        });

        var (code, output) = await VerifyCliAsync();
        Assert.Equal(1, code);
        Assert.Contains("BROKEN at entry #3 (in place of #2)", output, StringComparison.Ordinal);
        Assert.Contains("out of order", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapping_the_content_of_two_entries_but_not_their_numbers_is_found()
    {
        await SeedAsync(6);
        Tamper(db =>
        {
            var col = db.GetCollection("audit");
            var a = col.FindById(2);
            var b = col.FindById(3);
            col.Delete(2);
            col.Delete(3);
            (a["_id"], a["seq"], b["_id"], b["seq"]) = (3, 3L, 2, 2L);
            col.Insert(b);
            col.Insert(a);
        });

        var result = await VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(2, result.BrokenSeq);
    }

    [Fact]
    public async Task Appending_the_same_record_id_twice_keeps_one_entry()
    {
        using var store = new LiteDbStore(DbPath);
        var log = new LiteDbAuditLog(store);
        var record = AuditRecord.New(T0, "dave", AuditActions.ApprovalDecided, "IT-1", id: "decision-1");
        var first = await log.AppendAsync(record);
        var second = await log.AppendAsync(record);
        Assert.Equal((first.Seq, first.Hash), (second.Seq, second.Hash));
        Assert.Single(await log.ReadSubjectAsync("IT-1"));
    }

    [Fact]
    public async Task Concurrent_appends_form_one_unbroken_chain()
    {
        using var store = new LiteDbStore(DbPath);
        var log = new LiteDbAuditLog(store);
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => log.AppendAsync(AuditRecord.New(T0.AddSeconds(i), $"u{i}", AuditActions.Export, "audit.csv")))));

        var result = await log.VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(200, result.Checked);
    }

    [Fact]
    public void The_canonical_form_is_stable_and_ignores_data_order()
    {
        var a = AuditChain.Link(null, AuditRecord.New(T0, "dave", "x", "IT-1", new Dictionary<string, string> { ["b"] = "2", ["a"] = "é" }, "id1"));
        var b = AuditChain.Link(null, AuditRecord.New(T0, "dave", "x", "IT-1", new Dictionary<string, string> { ["a"] = "é", ["b"] = "2" }, "id1"));
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(
            """{"seq":1,"id":"id1","at":"2026-03-02T09:00:00.000Z","actor":"dave","action":"x","subject":"IT-1","data":{"a":"\u00E9","b":"2"},"prevHash":"0000000000000000000000000000000000000000000000000000000000000000"}""",
            System.Text.Encoding.UTF8.GetString(AuditChain.Canonical(a)));
    }

    [Fact]
    public async Task Data_keys_that_differ_only_in_case_are_kept_apart_and_the_chain_verifies()
    {
        await SeedAsync(2);
        using (var store = new LiteDbStore(DbPath))
        {
            // What the projector makes of an imported event that carries its own "Event" field.
            await new LiteDbAuditLog(store).AppendAsync(AuditRecord.New(T0.AddHours(1), "dave", AuditActions.ApprovalDecided, "IT-9001",
                new Dictionary<string, string> { ["event"] = "ApprovalDecided", ["Event"] = "legacy-export-field" }));
        }

        var (code, output) = await VerifyCliAsync();
        Assert.True(code == 0, output);
        Assert.Contains("audit log intact: 3 entries", output, StringComparison.Ordinal);
        using var reopened = new LiteDbStore(DbPath);
        var entry = Assert.Single(await new LiteDbAuditLog(reopened).ReadSubjectAsync("IT-9001"));
        Assert.Equal(("ApprovalDecided", "legacy-export-field"), (entry.Data["event"], entry.Data["Event"]));
    }

    [Fact]
    public async Task Entries_written_with_their_data_as_a_sub_document_still_verify()
    {
        await SeedAsync(3);
        // How entries were stored before the data became pairs.
        Tamper(db =>
        {
            var col = db.GetCollection("audit");
            foreach (var doc in col.FindAll().ToList())
            {
                var data = new BsonDocument();
                foreach (var pair in doc["d"].AsArray)
                {
                    data[pair[0].AsString] = pair[1];
                }

                doc["d"] = data;
                col.Update(doc);
            }
        });

        var (code, output) = await VerifyCliAsync();

        Assert.True(code == 0, output);
        Assert.Contains("audit log intact: 3 entries", output, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<AuditEntry>> SeedAsync(int count)
    {
        using var store = new LiteDbStore(DbPath);
        var log = new LiteDbAuditLog(store);
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            entries.Add(await log.AppendAsync(AuditRecord.New(T0.AddMinutes(i), i % 2 == 0 ? "dave" : "automation",
                i % 2 == 0 ? AuditActions.ApprovalDecided : AuditActions.AccessGranted, $"IT-{i}",
                new Dictionary<string, string> { ["decision"] = "denied", ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        }

        return entries;
    }

    private void Tamper(Action<LiteDatabase> change)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = DbPath, Connection = ConnectionType.Direct });
        change(db);
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        using var store = new LiteDbStore(DbPath);
        return await new LiteDbAuditLog(store).VerifyAsync();
    }

    /// <summary>Runs <c>verify-audit</c> through the host's own command line and service wiring, against the file.</summary>
    private async Task<(int Code, string Output)> VerifyCliAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDb:Path"] = DbPath,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddItChatBotServices(configuration).BuildServiceProvider();
        await using (services)
        {
            var output = new StringWriter();
            var code = await CommandLine.BuildRoot(services, output).Parse(["verify-audit"]).InvokeAsync();
            return (code, output.ToString());
        }
    }
}
