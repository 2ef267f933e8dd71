using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using ItChatBot.Core.Tickets;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// An event's data as a JSON array of <c>[key, value]</c> pairs in the event's order, not as an object: keys are
/// case-sensitive, and an imported event may carry both <c>category</c> and <c>Category</c> (the LiteDB store keeps its
/// data as pairs for the same reason, see its <c>Documents.FromData</c>).
/// </summary>
internal static class EventDataJson
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The names of <see cref="EventData"/>'s fields, looked up by their characters.</summary>
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownKeys =
        typeof(EventData).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToDictionary(k => k, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Write(IReadOnlyDictionary<string, string> data)
    {
        if (data.Count == 0)
        {
            return "[]";
        }

        var buffer = new ArrayBufferWriter<byte>(64 * data.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (key, value) in data)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(key);
                writer.WriteStringValue(value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The pairs of <paramref name="json"/> as a dictionary; <c>[]</c> gives one shared empty dictionary. A starting instance
    /// reads every event of the log through here (millions at a million tickets), so the text is parsed from a pooled
    /// buffer and the field names of <see cref="EventData"/> are shared strings, not new ones per event.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read(string json)
    {
        if (json == "[]")
        {
            return Empty;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            var reader = new Utf8JsonReader(rented.AsSpan(0, Encoding.UTF8.GetBytes(json, rented)));
            Expect(ref reader, JsonTokenType.StartArray);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                Expect(ref reader, JsonTokenType.String);
                var key = Key(ref reader);
                Expect(ref reader, JsonTokenType.String);
                data[key] = reader.GetString()!;
                Expect(ref reader, JsonTokenType.EndArray);
            }

            return data;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The key the reader is on: the shared string when it is a field name of <see cref="EventData"/>, else a new one.</summary>
    private static string Key(ref Utf8JsonReader reader)
    {
        Span<char> chars = stackalloc char[32];
        if (reader.ValueSpan.Length <= chars.Length && KnownKeys.TryGetValue(chars[..reader.CopyString(chars)], out var known))
        {
            return known;
        }

        return reader.GetString()!;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new FormatException($"Event data is not a JSON array of [key, value] pairs (expected {type}, found {reader.TokenType}).");
        }
    }
}
