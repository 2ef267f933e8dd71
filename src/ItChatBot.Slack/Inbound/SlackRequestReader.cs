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

        byte[]? body;
        if (request.ContentLength is { } length)
        {
            body = await ReadExactlyAsync(request.Body, length, http.RequestAborted);
            if (body is null)
            {
                return (null, SlackResults.Problem(StatusCodes.Status400BadRequest, $"The body ended before the {length} bytes its Content-Length announced."));
            }
        }
        else
        {
            body = await ReadChunkedAsync(request.Body, options.MaxBodyBytes, http.RequestAborted);
            if (body is null)
            {
                return (null, SlackResults.Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than the {options.MaxBodyBytes} bytes accepted."));
            }
        }

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

    // Slack sends Content-Length, so the body is read straight into an array of that size (the server holds the client
    // to it): no 16 KB chunk, growing buffer and final copy for every delivery acknowledged. Kestrel answers 400 itself
    // when a client ends its body early; a server that lets the short body through gets null here, and a 400 all the same.
    /// <returns>The body, or null when it ended before <paramref name="length"/> bytes.</returns>
    private static async Task<byte[]?> ReadExactlyAsync(Stream body, long length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        try
        {
            await body.ReadExactlyAsync(bytes, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        return bytes;
    }

    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/>.</returns>
    private static async Task<byte[]?> ReadChunkedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
