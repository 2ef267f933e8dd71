using System.Text;
using ItChatBot.Slack.Inbound;

namespace ItChatBot.Slack.Tests;

public sealed class SignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slacks_documented_example_computes_the_documented_signature()
    {
        Assert.Equal(362, Body.Length);
        Assert.Equal(Expected, SlackSignature.Compute(Secret, Timestamp, Body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    [InlineData(-300)]
    public void The_documented_request_is_accepted_within_five_minutes(int secondsLater) =>
        Assert.Null(SlackSignature.Verify(Secret, Timestamp, Expected, Body, SignedAt.AddSeconds(secondsLater)));

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void A_timestamp_more_than_five_minutes_away_is_refused(int secondsLater) =>
        Assert.Contains("more than 5 minutes", SlackSignature.Verify(Secret, Timestamp, Expected, Body, SignedAt.AddSeconds(secondsLater)));

    [Fact]
    public void A_changed_body_is_refused()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^1] ^= 1;
        Assert.Equal("the signature does not match", SlackSignature.Verify(Secret, Timestamp, Expected, tampered, SignedAt));
    }

    [Theory]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504")]
    [InlineData("V0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503")]
    [InlineData("v0=a2114d57")]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    public void A_wrong_or_malformed_signature_is_refused(string signature) =>
        Assert.Equal("the signature does not match", SlackSignature.Verify(Secret, Timestamp, signature, Body, SignedAt));

    [Fact]
    public void The_wrong_secret_is_refused() =>
        Assert.Equal("the signature does not match", SlackSignature.Verify("another-secret", Timestamp, Expected, Body, SignedAt));

    [Theory]
    [InlineData(null, Expected, "X-Slack-Request-Timestamp header is missing")]
    [InlineData(Timestamp, null, "X-Slack-Signature header is missing")]
    [InlineData("15314206l8", Expected, "not a Unix time")]
    [InlineData("-1531420618", Expected, "not a Unix time")]
    public void Missing_or_malformed_headers_are_named(string? timestamp, string? signature, string reason) =>
        Assert.Contains(reason, SlackSignature.Verify(Secret, timestamp, signature, Body, SignedAt));
}
