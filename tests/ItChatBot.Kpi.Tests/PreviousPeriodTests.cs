using System.Net.Http.Json;
using System.Text.Json;
using ItChatBot.Core.Kpi;
using ItChatBot.Host.WebChat;
using static ItChatBot.Kpi.Tests.KpiHistory;

namespace ItChatBot.Kpi.Tests;

/// <summary>
/// The previous period a card compares with: the previous calendar month for <c>YYYY-MM</c>, the same stretch of the
/// previous quarter for <c>qtd</c> and of the previous year for <c>ytd</c>, the same length just before otherwise;
/// and the API's <c>previous.from/to</c>, the numbers and the card all name the same one.
/// </summary>
public sealed class PreviousPeriodTests : KpiHostTests
{
    [Theory]
    [InlineData("2026-03", "2026-03-10T12:00", "2026-02-01T00:00", "2026-03-01T00:00")] // February, not 29 Jan .. 1 Mar
    [InlineData("2026-01", "2026-03-10T12:00", "2025-12-01T00:00", "2026-01-01T00:00")]
    [InlineData("qtd", "2026-05-31T12:00", "2026-01-01T00:00", "2026-03-02T12:00")] // 60.5 days into Q2 → 60.5 days into Q1
    [InlineData("qtd", "2026-09-30T23:00", "2026-04-01T00:00", "2026-07-01T00:00")] // Q3 so far outlasts Q2: clipped to its end
    [InlineData("ytd", "2026-03-10T12:00", "2025-01-01T00:00", "2025-03-10T12:00")]
    [InlineData("30d", "2026-03-10T12:00", "2026-01-09T12:00", "2026-02-08T12:00")]
    [InlineData("2026-02-01..2026-03-01", "2026-03-10T12:00", "2026-01-04T00:00", "2026-02-01T00:00")]
    [InlineData("2026-03-01..2026-04-01", "2026-03-10T12:00", "2026-01-29T00:00", "2026-03-01T00:00")] // explicit bounds keep the same length
    [InlineData("mtd", "2026-03-10T12:00", "2026-02-01T00:00", "2026-02-10T12:00")] // 9.5 days into March → into February
    [InlineData("mtd", "2026-03-31T12:00", "2026-02-01T00:00", "2026-03-01T00:00")] // March so far outlasts February: clipped
    [InlineData("last-week", "2026-03-10T12:00", "2026-02-23T00:00", "2026-03-02T00:00")]
    [InlineData("last-month", "2026-03-10T12:00", "2026-01-01T00:00", "2026-02-01T00:00")]
    [InlineData("last-quarter", "2026-05-31T12:00", "2025-10-01T00:00", "2026-01-01T00:00")] // Q1 against the whole of Q4
    [InlineData("last-quarter", "2026-08-15T12:00", "2026-01-01T00:00", "2026-04-01T00:00")] // Q2 (91 days) against Q1 (90)
    [InlineData("last-year", "2026-03-10T12:00", "2024-01-01T00:00", "2025-01-01T00:00")]
    public void Each_kind_of_period_has_its_previous_period(string period, string now, string previousFrom, string previousTo)
    {
        var (from, to, kind) = KpiPeriod.Parse(period, At(now));
        Assert.Equal((At(previousFrom), At(previousTo)), KpiPeriod.Previous(from, to, kind));
    }

    [Theory]
    [InlineData("mtd", "2026-03-10T12:00", "2026-03-01T00:00", "2026-03-10T12:00")]
    [InlineData("last-week", "2026-03-10T12:00", "2026-03-02T00:00", "2026-03-09T00:00")] // a Tuesday: the Monday-to-Monday before
    [InlineData("last-week", "2026-03-09T00:00", "2026-03-02T00:00", "2026-03-09T00:00")] // Monday midnight: the week just ended
    [InlineData("last-week", "2026-03-15T23:59", "2026-03-02T00:00", "2026-03-09T00:00")] // Sunday: still the week before this one
    [InlineData("last-month", "2026-03-10T12:00", "2026-02-01T00:00", "2026-03-01T00:00")]
    [InlineData("last-month", "2026-01-31T23:00", "2025-12-01T00:00", "2026-01-01T00:00")] // across a year
    [InlineData("last-quarter", "2026-05-31T12:00", "2026-01-01T00:00", "2026-04-01T00:00")]
    [InlineData("last-quarter", "2026-02-01T00:00", "2025-10-01T00:00", "2026-01-01T00:00")]
    [InlineData("last-year", "2026-03-10T12:00", "2025-01-01T00:00", "2026-01-01T00:00")]
    [InlineData("lastmonth", "2026-03-10T12:00", "2026-02-01T00:00", "2026-03-01T00:00")] // as typed without the dash
    [InlineData("Last_Month", "2026-03-10T12:00", "2026-02-01T00:00", "2026-03-01T00:00")]
    [InlineData("LAST-WEEK", "2026-03-10T12:00", "2026-03-02T00:00", "2026-03-09T00:00")]
    public void Calendar_words_name_the_whole_calendar_period_before_the_current_one_in_utc(string period, string now, string from, string to)
    {
        var (f, t, _) = KpiPeriod.Parse(period, At(now));
        Assert.Equal((At(from), At(to)), (f, t));
    }

    [Theory]
    [InlineData("last-day")]
    [InlineData("last")]
    [InlineData("lastmonths")]
    [InlineData("next-month")]
    public void Words_that_are_not_periods_are_refused_with_the_forms(string period)
    {
        var e = Assert.Throws<ItChatBot.Core.Conversations.UsageException>(() => KpiPeriod.Parse(period, Now));
        Assert.Equal($"'{period}' is not a period; use {KpiPeriod.Forms}.", e.Problem);
        Assert.Contains("last-month", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_calendar_month_is_compared_with_the_month_before_in_the_api_the_numbers_and_the_card()
    {
        // February's IT volume is IT-1..IT-6; March holds IT-7 only.
        var api = await Client.GetFromJsonAsync<JsonElement>("/api/kpi/volume?team=IT&period=2026-03");
        Assert.Equal(1, api.GetProperty("value").GetInt32());
        var previous = api.GetProperty("previous");
        Assert.Equal(From, previous.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(To, previous.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(6, previous.GetProperty("value").GetInt32());

        var card = await Send("carol", "/kpi volume team:IT period:2026-03");
        Assert.Contains("Previous period: 6", card.Text, StringComparison.Ordinal);
        Assert.Contains("previous 2026-02-01 00:00 – 2026-03-01 00:00", card.Text, StringComparison.Ordinal);

        // "last-month" on 10 March is February, compared with January: the same bounds and numbers as period:2026-02.
        var lastMonth = await Send("carol", "/kpi volume team:IT period:last-month");
        var february = await Send("carol", "/kpi volume team:IT period:2026-02");
        Assert.Contains("2026-02-01 00:00 – 2026-03-01 00:00 (Europe/London) · previous 2026-01-01 00:00 – 2026-02-01 00:00", lastMonth.Text, StringComparison.Ordinal);
        Assert.Equal(february.Text, lastMonth.Text);
        Assert.Contains("This period: 6 ↑\nPrevious period: 1", lastMonth.Text, StringComparison.Ordinal);
        var lastMonthApi = await Client.GetFromJsonAsync<JsonElement>("/api/kpi/volume?team=IT&period=last-month");
        Assert.Equal((From, To, 6), (lastMonthApi.GetProperty("from").GetDateTimeOffset(), lastMonthApi.GetProperty("to").GetDateTimeOffset(), lastMonthApi.GetProperty("value").GetInt32()));

        // The same month given as explicit bounds keeps the same-length rule.
        var explicitBounds = await Client.GetFromJsonAsync<JsonElement>("/api/kpi/volume?team=IT&from=2026-03-01&to=2026-04-01");
        Assert.Equal(At("2026-01-29T00:00"), explicitBounds.GetProperty("previous").GetProperty("from").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_year_to_date_backlog_is_compared_with_the_open_count_at_the_previous_periods_end()
    {
        // ytd on 10 Mar 2026 against 1 Jan .. 10 Mar 2025: nothing was open then (the history starts in 2026).
        var api = await Client.GetFromJsonAsync<JsonElement>("/api/kpi/backlog?team=IT&period=ytd");
        var previous = api.GetProperty("previous");
        Assert.Equal(At("2025-03-10T12:00"), previous.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(0, previous.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, previous.GetProperty("value").ValueKind);
        // Open now: IT-5 and IT-7.
        Assert.Equal(2, api.GetProperty("value").GetInt32());
    }

    private async Task<ChatMessage> Send(string person, string text)
    {
        var response = await Client.PostAsJsonAsync("/chat/send", new { person, text });
        response.EnsureSuccessStatusCode();
        return Assert.Single((await response.Content.ReadFromJsonAsync<ChatResponse>())!.Messages);
    }
}
