using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ItChatBot.Teams.Tests.Infrastructure;

/// <summary>A locally generated RSA signing key, as the Bot Framework's key set publishes one, and tokens signed with it.</summary>
public sealed class TestKey(string kid, params string[]? endorsements) : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public string Kid { get; } = kid;

    /// <summary>A key published with no <c>endorsements</c> property at all.</summary>
    public static TestKey WithoutEndorsements(string kid) => new(kid, endorsements: null);

    public object Jwk()
    {
        var p = _rsa.ExportParameters(false);
        var jwk = new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
        if (endorsements is not null)
        {
            jwk["endorsements"] = endorsements;
        }

        return jwk;
    }

    public string Token(string issuer, string audience, DateTimeOffset notBefore, DateTimeOffset expires, string? serviceUrl, string? kidOverride = null)
    {
        var claims = new List<Claim>();
        if (serviceUrl is not null)
        {
            claims.Add(new Claim("serviceurl", serviceUrl));
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = notBefore.UtcDateTime,
            IssuedAt = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = kidOverride ?? Kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with <c>alg: none</c> and no signature, otherwise right.</summary>
    public static string Unsigned(string issuer, string audience, DateTimeOffset notBefore, DateTimeOffset expires, string serviceUrl)
    {
        static string Part(object o) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(o)));
        return Part(new { alg = "none", typ = "JWT" }) + "." + Part(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["nbf"] = notBefore.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["serviceurl"] = serviceUrl,
        }) + ".";
    }

    public void Dispose() => _rsa.Dispose();
}
