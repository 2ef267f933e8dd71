using ItChatBot.Core.Cards;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.Files;

namespace ItChatBot.Host.Kpi;

/// <summary>
/// The chart that goes with a KPI card, made when the card is: the PNG travels with the card (Slack uploads it into
/// the card's thread, Teams embeds it when small enough) and is kept behind a signed link (the web chat shows it,
/// Teams fetches it when the host has a public address). No API key is needed to see it.
/// </summary>
public sealed partial class KpiChartImages(KpiCharts charts, FileLinks links, ILogger<KpiChartImages> logger)
{
    public async Task<CardImage?> ForAsync(KpiRequest request, CancellationToken cancellationToken)
    {
        if (KpiCharts.ChartOf(request.Metric) is not { } name)
        {
            return null;
        }

        byte[] png;
        try
        {
            png = await charts.RenderAsync(name, request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The figures are the answer; a chart that cannot be drawn must not take them away.
            Log.ChartFailed(logger, name, ex);
            return null;
        }

        var fileName = $"{name}{(request.Team is null ? "" : "-" + request.Team.ToLowerInvariant())}.png";
        var url = await links.PublishAsync(fileName, "image/png", png, null, cancellationToken);
        return new CardImage(url, $"{name} chart") { Content = png };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8301, Level = LogLevel.Warning, Message = "The {Chart} chart could not be drawn; the card goes without it")]
        public static partial void ChartFailed(ILogger logger, string chart, Exception exception);
    }
}
