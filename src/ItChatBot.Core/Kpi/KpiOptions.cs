namespace ItChatBot.Core.Kpi;

/// <summary>The <c>Kpi</c> configuration section (docs/kpi.md lists every key).</summary>
public sealed class KpiOptions
{
    /// <summary>FCR: a ticket by the same requester in the same category within this many days after a resolution is a follow-up.</summary>
    public double FcrFollowUpDays { get; set; } = 7;

    /// <summary>Backlog trend: how many week ends to show.</summary>
    public int BacklogWeeks { get; set; } = 8;

    /// <summary>Savings: minutes an AI-resolved ticket saves, per category; <see cref="DefaultMinutesSaved"/> for others.</summary>
    public Dictionary<string, double> MinutesSaved { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["password"] = 15,
        ["access"] = 20,
        ["software"] = 25,
    };

    public double DefaultMinutesSaved { get; set; } = 10;

    public decimal HourlyRate { get; set; } = 45m;

    public string Currency { get; set; } = "USD";

    /// <summary>Volume spike: this week's count above mean + <see cref="SpikeSigma"/> σ of the previous <see cref="SpikeWeeks"/> weeks, and at least <see cref="SpikeMinimum"/>.</summary>
    public int SpikeWeeks { get; set; } = 8;

    public double SpikeSigma { get; set; } = 3;

    public int SpikeMinimum { get; set; } = 10;

    /// <summary>Technician targets by role profile name (e.g. <c>L1</c>, <c>L2</c>).</summary>
    public Dictionary<string, RoleProfile> RoleProfiles { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["L1"] = new RoleProfile { Fcr = 0.7, Csat = 0.85, SlaCompliance = 0.9, EscalationRate = 0.2, MttrHours = new() { ["P1"] = 4, ["P2"] = 8, ["P3"] = 24, ["P4"] = 40 } },
        ["L2"] = new RoleProfile { Fcr = 0.6, Csat = 0.85, SlaCompliance = 0.9, EscalationRate = 0.1, MttrHours = new() { ["P1"] = 6, ["P2"] = 12, ["P3"] = 36, ["P4"] = 60 } },
    };

    /// <summary>Which role profile each technician (person id) has; others get <see cref="DefaultRoleProfile"/>.</summary>
    public Dictionary<string, string> Technicians { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string DefaultRoleProfile { get; set; } = "L1";

    /// <summary>Technician view: months of trend.</summary>
    public int TrendMonths { get; set; } = 6;

    public PairedReadingOptions Reading { get; set; } = new();

    public double MinutesSavedFor(string category) => MinutesSaved.TryGetValue(category, out var m) ? m : DefaultMinutesSaved;
}

/// <summary>Targets a technician is compared with; a null target is not shown.</summary>
public sealed class RoleProfile
{
    public double? Fcr { get; set; }
    public double? Csat { get; set; }
    public double? SlaCompliance { get; set; }
    public double? EscalationRate { get; set; }
    public Dictionary<string, double> MttrHours { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Thresholds of the paired reading on the summary card (DESIGN §4).</summary>
public sealed class PairedReadingOptions
{
    public double FcrHigh { get; set; } = 0.7;
    public double SlaHigh { get; set; } = 0.9;
    public double CsatHigh { get; set; } = 0.8;
}
