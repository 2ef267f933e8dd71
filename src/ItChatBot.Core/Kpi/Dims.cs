namespace ItChatBot.Core.Kpi;

/// <summary>Dictionary encoding of a dimension's values (teams, categories, people ...), case-sensitive.</summary>
public sealed class Dims
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public int Id(string? name)
    {
        if (name is null)
        {
            return -1;
        }

        if (!_ids.TryGetValue(name, out var id))
        {
            id = _names.Count;
            _ids[name] = id;
            _names.Add(name);
        }

        return id;
    }

    public int Find(string? name) => name is not null && _ids.TryGetValue(name, out var id) ? id : -1;

    /// <summary>Case-insensitive lookup, for names typed by people.</summary>
    public int FindIgnoreCase(string? name)
    {
        if (name is null)
        {
            return -1;
        }

        var exact = Find(name);
        if (exact >= 0)
        {
            return exact;
        }

        for (var i = 0; i < _names.Count; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public string Name(int id) => id >= 0 && id < _names.Count ? _names[id] : "(none)";

    public int Count => _names.Count;
}
