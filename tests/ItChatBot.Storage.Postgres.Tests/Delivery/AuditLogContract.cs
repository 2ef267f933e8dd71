using System.Globalization;
using ItChatBot.Core.Audit;

namespace ItChatBot.Storage.Postgres.Tests.Delivery;

/// <summary>
/// What every <see cref="IAuditLog"/> does, whichever store holds it: one chain, found broken at the entry where it was
/// tampered with (ported from the LiteDB chain's tests in ItChatBot.Approvals.Tests' AuditChainTamperTests).
/// </summary>
public abstract class AuditLogContract : StoreContract
{
    private IAuditLog Log => Stores.Audit;

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

        var result = await Log.VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal((5, entries[^1].Hash), (result.Checked, result.HeadHash));
    }

    [Fact]
    public async Task Entries_read_back_by_period_and_by_subject_in_chain_order_as_they_were_appended()
    {
        var entries = await SeedAsync(6);
        await Log.AppendAsync(AuditRecord.New(T0.AddSeconds(30), "dave", AuditActions.Export, "IT-0"));

        var inPeriod = await Log.ReadAsync(T0.AddMinutes(1), T0.AddMinutes(3));
        Assert.Equal([2L, 3L], inPeriod.Select(e => e.Seq));
        Assert.Equal(entries[1], inPeriod[0] with { Data = entries[1].Data });
        Assert.Equal(entries[1].Data, inPeriod[0].Data);
        Assert.Equal([1L, 7L], (await Log.ReadSubjectAsync("IT-0")).Select(e => e.Seq));
        Assert.Empty(await Log.ReadSubjectAsync("IT-99"));
    }

    [Fact]
    public async Task Changing_a_stored_entry_is_found_at_that_entry()
    {
        await SeedAsync(6);
        await Stores.ChangeActorAsync(4, "mallory", rehash: false);

        var result = await Log.VerifyAsync();
        Assert.Equal((false, 4L, 4L), (result.IsIntact, result.BrokenSeq, result.BrokenPosition));
        Assert.Contains("was changed", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_an_entry_and_recomputing_its_hash_is_found_at_the_next_entry()
    {
        await SeedAsync(6);
        await Stores.ChangeActorAsync(3, "mallory", rehash: true);

        var result = await Log.VerifyAsync();
        Assert.Equal((false, 4L), (result.IsIntact, result.BrokenSeq));
        Assert.Contains("previous hash", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_entry_in_the_middle_is_found_where_the_gap_is()
    {
        await SeedAsync(6);
        await Stores.DeleteAsync(3);

        var result = await Log.VerifyAsync();
        Assert.Equal((false, 4L, 3L), (result.IsIntact, result.BrokenSeq, result.BrokenPosition));
        Assert.Contains("#3..#3 are missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_last_entries_is_found_through_the_head()
    {
        await SeedAsync(6);
        await Stores.DeleteAsync(6);
        await Stores.DeleteAsync(5);

        var result = await Log.VerifyAsync();
        Assert.Equal((false, 5L), (result.IsIntact, result.BrokenSeq));
        Assert.Contains("removed from the end", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapping_two_entries_is_found_at_the_first_moved_one()
    {
        await SeedAsync(6);
        await Stores.SwapPlacesAsync(2, 3);

        var result = await Log.VerifyAsync();
        Assert.Equal((false, 3L, 2L), (result.IsIntact, result.BrokenSeq, result.BrokenPosition));
        Assert.Contains("out of order", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapping_the_content_of_two_entries_but_not_their_numbers_is_found()
    {
        await SeedAsync(6);
        await Stores.SwapContentAsync(2, 3);

        var result = await Log.VerifyAsync();
        Assert.Equal((false, 2L), (result.IsIntact, result.BrokenSeq));
    }

    [Fact]
    public async Task Appending_the_same_record_id_twice_keeps_one_entry()
    {
        var record = AuditRecord.New(T0, "dave", AuditActions.ApprovalDecided, "IT-1", id: "decision-1");

        var first = await Log.AppendAsync(record);
        var second = await Log.AppendAsync(record with { Actor = "someone else" });

        Assert.Equal(first, second with { Data = first.Data });
        Assert.Single(await Log.ReadSubjectAsync("IT-1"));
        Assert.True((await Log.VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task Concurrent_appends_form_one_unbroken_chain()
    {
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => Log.AppendAsync(AuditRecord.New(T0.AddSeconds(i), $"u{i}", AuditActions.Export, "audit.csv")))));

        var result = await Log.VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(100, result.Checked);
    }

    [Fact]
    public async Task Data_keys_that_differ_only_in_case_are_kept_apart_and_the_chain_verifies()
    {
        await SeedAsync(2);
        await Log.AppendAsync(AuditRecord.New(T0.AddHours(1), "dave", AuditActions.ApprovalDecided, "IT-9001",
            new Dictionary<string, string> { ["event"] = "ApprovalDecided", ["Event"] = "legacy-export-field" }));

        Assert.True((await Log.VerifyAsync()).IsIntact);
        var entry = Assert.Single(await Log.ReadSubjectAsync("IT-9001"));
        Assert.Equal(("ApprovalDecided", "legacy-export-field"), (entry.Data["event"], entry.Data["Event"]));
    }

    [Fact]
    public async Task A_time_finer_than_milliseconds_hashes_and_reads_back_as_its_millisecond()
    {
        var record = AuditRecord.New(T0, "dave", AuditActions.Export, "x") with { At = T0.AddTicks(12_345) };

        var appended = await Log.AppendAsync(record);

        var stored = Assert.Single(await Log.ReadSubjectAsync("x"));
        Assert.Equal((T0.AddTicks(10_000), appended.Hash), (stored.At, stored.Hash));
        Assert.True((await Log.VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task An_empty_log_verifies()
    {
        var result = await Log.VerifyAsync();
        Assert.Equal((true, 0L, AuditChain.Genesis), (result.IsIntact, result.Checked, result.HeadHash));
    }

    private async Task<IReadOnlyList<AuditEntry>> SeedAsync(int count)
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            entries.Add(await Log.AppendAsync(AuditRecord.New(T0.AddMinutes(i), i % 2 == 0 ? "dave" : "automation",
                i % 2 == 0 ? AuditActions.ApprovalDecided : AuditActions.AccessGranted, $"IT-{i}",
                new Dictionary<string, string> { ["decision"] = "denied", ["n"] = i.ToString(CultureInfo.InvariantCulture) })));
        }

        return entries;
    }
}
