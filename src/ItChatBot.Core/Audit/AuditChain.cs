using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace ItChatBot.Core.Audit;

/// <summary>
/// The chain's rules, independent of any store: the canonical form of an entry, its hash, how a record is
/// linked after the current head, and how a stored sequence is verified.
/// </summary>
public static class AuditChain
{
    /// <summary>The <see cref="AuditEntry.PrevHash"/> of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// Compact JSON with a fixed field order, data keys in ordinal order, the time as UTC ISO 8601 with
    /// milliseconds, and the default (ASCII-only) escaping: the same entry always gives the same bytes,
    /// whatever machine or store wrote it. The entry's own hash is not part of it.
    /// </summary>
    public static byte[] Canonical(AuditEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", entry.Seq);
            json.WriteString("id", entry.Id);
            json.WriteString("at", entry.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("actor", entry.Actor);
            json.WriteString("action", entry.Action);
            json.WriteString("subject", entry.Subject);
            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteString("prevHash", entry.PrevHash);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string ComputeHash(AuditEntry entry) => Convert.ToHexStringLower(SHA256.HashData(Canonical(entry)));

    /// <summary>The entry <paramref name="record"/> becomes when appended after <paramref name="head"/> (null: the log is empty).</summary>
    public static AuditEntry Link(AuditHead? head, AuditRecord record)
    {
        var entry = new AuditEntry
        {
            Seq = (head?.Seq ?? 0) + 1,
            Id = record.Id,
            At = record.At,
            Actor = record.Actor,
            Action = record.Action,
            Subject = record.Subject,
            Data = new Dictionary<string, string>(record.Data),
            PrevHash = head?.Hash ?? Genesis,
            Hash = "",
        };
        return entry with { Hash = ComputeHash(entry) };
    }

    /// <summary>
    /// Walks the stored entries in storage order and reports the first that breaks the chain: a sequence
    /// number out of place (an entry removed or moved), a previous-hash that is not the hash of the entry
    /// before it, or a hash that does not match the entry's content (an entry changed). <paramref name="head"/>,
    /// when the store keeps one, also catches entries cut from the end.
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> stored, AuditHead? head = null)
    {
        long count = 0;
        AuditEntry? previous = null;
        foreach (var entry in stored)
        {
            count++;
            var expectedSeq = (previous?.Seq ?? 0) + 1;
            var expectedPrev = previous?.Hash ?? Genesis;
            if (entry.Seq != expectedSeq)
            {
                return AuditVerification.Broken(count, entry.Seq, entry.Seq > expectedSeq
                    ? $"entry #{entry.Seq} follows #{expectedSeq - 1}: entries #{expectedSeq}..#{entry.Seq - 1} are missing or out of order"
                    : $"entry #{entry.Seq} is out of order: it comes after #{expectedSeq - 1}");
            }

            if (!string.Equals(entry.PrevHash, expectedPrev, StringComparison.Ordinal))
            {
                return AuditVerification.Broken(count, entry.Seq,
                    $"entry #{entry.Seq} names previous hash {Short(entry.PrevHash)} but entry #{expectedSeq - 1} hashes to {Short(expectedPrev)}");
            }

            var actual = ComputeHash(entry);
            if (!string.Equals(entry.Hash, actual, StringComparison.Ordinal))
            {
                return AuditVerification.Broken(count, entry.Seq,
                    $"entry #{entry.Seq} was changed: its content hashes to {Short(actual)}, not the stored {Short(entry.Hash)}");
            }

            previous = entry;
        }

        if (head is not null && (head.Seq != (previous?.Seq ?? 0) || !string.Equals(head.Hash, previous?.Hash ?? Genesis, StringComparison.Ordinal)))
        {
            return AuditVerification.Broken(count + 1, (previous?.Seq ?? 0) + 1,
                $"the log ends at entry #{previous?.Seq ?? 0}, but the recorded head is entry #{head.Seq} ({Short(head.Hash)}): entries were removed from the end");
        }

        return AuditVerification.Intact(count, previous?.Hash ?? Genesis);
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}

/// <summary>The last entry appended, kept apart from the entries so that cutting the tail of the log shows.</summary>
public sealed record AuditHead(long Seq, string Hash);

/// <param name="Checked">Entries read (up to and including the broken one).</param>
/// <param name="BrokenSeq">The sequence number of the first entry that breaks the chain (null when intact).</param>
/// <param name="BrokenPosition">Where in storage order it was found (1-based); differs from the sequence number when entries were moved or removed.</param>
public sealed record AuditVerification(bool IsIntact, long Checked, long? BrokenSeq, long? BrokenPosition, string? Problem, string? HeadHash)
{
    public static AuditVerification Intact(long count, string head) => new(true, count, null, null, null, head);

    public static AuditVerification Broken(long position, long seq, string problem) => new(false, position, seq, position, problem, null);
}
