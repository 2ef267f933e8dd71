using Microsoft.AspNetCore.Http;

namespace ItChatBot.Slack.Inbound;

/// <summary>Answers for Slack's endpoints.</summary>
public static class SlackResults
{
    /// <summary>
    /// A deliberate refusal: problem details with the reason, and <c>X-Slack-No-Retry</c> so Slack does not send
    /// the same bad request three more times.
    /// </summary>
    public static IResult Problem(int status, string detail) => new NoRetry(TypedResults.Problem(detail: detail, statusCode: status));

    /// <summary>A slash-command answer only the user sees.</summary>
    public static IResult Ephemeral(string text) => TypedResults.Json(new { response_type = "ephemeral", text });

    private sealed class NoRetry(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["X-Slack-No-Retry"] = "1";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
