using ItChatBot.Host.Kpi;

namespace ItChatBot.Kpi.Tests;

/// <summary>The tickets and KPI series exports: what a requester typed must never run as a spreadsheet formula.</summary>
public sealed class CsvTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1+cmd", "'+1+cmd")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("-3", "-3")]
    [InlineData("+0.25", "+0.25")]
    [InlineData("-1.5e3", "-1.5e3")]
    [InlineData("vpn, remote", "\"vpn, remote\"")]
    [InlineData("a \"quoted\" word", "\"a \"\"quoted\"\" word\"")]
    public void A_field_that_would_run_as_a_formula_is_kept_text_and_numbers_stay_numbers(string field, string written) =>
        Assert.Equal(written, Csv.Quote(field));

    [Fact]
    public void An_escaped_line_reads_back_as_the_text_that_was_written()
    {
        var line = Csv.Line(["IT-1", "-2+3+cmd|' /C calc'!A0", "a,b"]);

        var (_, fields) = Assert.Single(Csv.Read(new StringReader(line)));

        Assert.Equal(["IT-1", "'-2+3+cmd|' /C calc'!A0", "a,b"], fields);
    }
}
