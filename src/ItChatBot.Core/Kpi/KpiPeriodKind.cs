namespace ItChatBot.Core.Kpi;

/// <summary>How a period was asked for, which decides its previous period (<see cref="KpiPeriod.Previous"/>).</summary>
public enum KpiPeriodKind
{
    /// <summary><c>7d|30d|90d</c>, <c>last-week</c> or <c>FROM..TO</c>: the previous period is the same length just before.</summary>
    Span,

    /// <summary><c>YYYY-MM</c> and <c>last-month</c>: the previous calendar month.</summary>
    Month,

    /// <summary><c>qtd</c> and <c>last-quarter</c>: as long a stretch from the previous quarter's first day, within that quarter.</summary>
    QuarterToDate,

    /// <summary><c>ytd</c> and <c>last-year</c>: the previous year from 1 January to the same date and time.</summary>
    YearToDate,

    /// <summary><c>mtd</c>: as long a stretch from the previous month's first day, within that month.</summary>
    MonthToDate,
}
