using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ItChatBot.Storage.Postgres;

/// <summary>
/// An event's data as a JSON array of <c>[key, value]</c> pairs in the event's order, not as an object: keys are
/// case-sensitive, and an imported event may carry both <c>category</c> and <c>Category</c> (the LiteDB store keeps its
/// data as pairs for the same reason, see its <c>Documents.FromData</c>).
/// </summary>
internal static class EventDataJson
{
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

    public static Dictionary<string, string> Read(string json)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            Expect(ref reader, JsonTokenType.String);
            var key = reader.GetString()!;
            Expect(ref reader, JsonTokenType.String);
            data[key] = reader.GetString()!;
            Expect(ref reader, JsonTokenType.EndArray);
        }

        return data;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new FormatException($"Event data is not a JSON array of [key, value] pairs (expected {type}, found {reader.TokenType}).");
        }
    }
}
