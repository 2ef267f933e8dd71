using System.Text.Json;
using System.Text.Json.Serialization;

namespace ItChatBot.Host.Kpi;

/// <summary>The one serializer of KPI results, so the API and the CLI write identical JSON (DESIGN §6).</summary>
public static class KpiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
