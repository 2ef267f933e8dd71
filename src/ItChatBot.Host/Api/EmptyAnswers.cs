using Microsoft.AspNetCore.Http;

namespace ItChatBot.Host.Api;

/// <summary>
/// The detail of a problem body that <c>UseStatusCodePages</c> writes for an error answered without one: ASP.NET Core's
/// routing answers an unknown path 404 and a known path asked with another method 405, both empty. The detail names the
/// request, so a caller sees what was not there rather than a bare status.
/// </summary>
internal static class EmptyAnswers
{
    public static void Explain(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        var what = $"{request.Method} {request.Path}";
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at {what}. The web chat is at /, the machine interface under /api/ (see the README).",
            StatusCodes.Status405MethodNotAllowed when context.HttpContext.Response.Headers.Allow is { Count: > 0 } allow =>
                $"{request.Path} does not take {request.Method}; it takes {string.Join(", ", allow.ToArray())}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}.",
            _ => null,
        };
    }
}
