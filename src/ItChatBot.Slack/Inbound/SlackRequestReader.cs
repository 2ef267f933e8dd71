using Microsoft.AspNetCore.Http;

namespace ItChatBot.Slack.Inbound;

/// <summary>
/// Reads a Slack request's raw body once (bounded) and checks its signature over exactly those bytes, before
/// anything is parsed. A failure is an <see cref="IResult"/> to return as is: 413, or 401 with the reason.
/// </summary>
public static class SlackRequestReader
{
    public static async Task<(byte[]? Body, IResult? Failure)> ReadVerifiedAsync(HttpContext http, SlackOptions options, TimeProvider clock)
    {
        var request = http.Request;
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return (null, SlackResults.Problem(StatusCodes.Status413PayloadTooLarge, $"The body is {request.ContentLength} bytes; the most accepted is {options.MaxBodyBytes}."));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > options.MaxBodyBytes)
            {
                return (null, SlackResults.Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than the {options.MaxBodyBytes} bytes accepted."));
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        var problem = SlackSignature.Verify(
            options.SigningSecret!,
            request.Headers["X-Slack-Request-Timestamp"].ToString(),
            request.Headers["X-Slack-Signature"].ToString(),
            body,
            clock.GetUtcNow());
        return problem is null
            ? (body, null)
            : (null, SlackResults.Problem(StatusCodes.Status401Unauthorized, $"Slack request rejected: {problem}."));
    }
}
