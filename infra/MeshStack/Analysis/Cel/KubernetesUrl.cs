namespace MeshStack.Analysis.Cel;

/// <summary>
/// The URL value of Kubernetes' CEL URL library: <c>url(string)</c> accepts what Go's <c>url.ParseRequestURI</c> accepts (an
/// absolute URI or an absolute path), fields as Go's <c>url.Parse</c> reads them (kubernetes/apiserver
/// pkg/cel/library/urls.go 30-56 and 167-194, 241-248, v0.35.0). The parser follows Go's net/url <c>parse</c> with
/// viaRequest (getScheme, parseAuthority, parseHost, validUserinfo, unescape; golang/go src/net/url/url.go @0118299):
/// control characters, a missing scheme before ':', a relative path, a non-numeric port, a bad %-escape or a character a
/// host may not hold are errors.
/// </summary>
public sealed record KubernetesUrl(string Scheme, string Host, string Path, string Query)
{
    /// <summary>Go's Hostname(): the host without its port, IPv6 brackets removed.</summary>
    public string Hostname => SplitHostPort().Host;

    /// <summary>Go's Port(): the digits after the host's last colon, or empty.</summary>
    public string Port => SplitHostPort().Port;

    private (string Host, string Port) SplitHostPort()
    {
        var host = Host;
        var port = "";
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && ValidOptionalPort(host[colon..])) (host, port) = (host[..colon], host[(colon + 1)..]);
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        return (host, port);
    }

    /// <summary>True when <c>isURL</c> holds: Go's ParseRequestURI accepts the text.</summary>
    public static bool IsUrl(string text) => Parse(text, viaRequest: true, out _, out _);

    /// <summary><c>url(text)</c>: the URL, or the evaluation error the API server reports.</summary>
    public static KubernetesUrl From(string text)
    {
        if (!Parse(text, viaRequest: true, out _, out var error))
            throw new CelEvaluationError($"URL parse error during conversion from string: parse \"{text}\": {error}");
        // ParseRequestURI reads a fragment into the path; url() parses again without it
        Parse(text.Split('#')[0], viaRequest: false, out var url, out _);
        return url!;
    }

    private static bool Parse(string raw, bool viaRequest, out KubernetesUrl? url, out string? error)
    {
        url = null;
        error = null;
        if (raw.Any(c => c < 0x20 || c == 0x7f)) return Fail("net/url: invalid control character in URL", out error);
        if (raw.Length == 0 && viaRequest) return Fail("empty url", out error);
        if (raw == "*")
        {
            url = new KubernetesUrl("", "", "*", "");
            return true;
        }
        if (!SplitScheme(raw, out var scheme, out var rest)) return Fail("missing protocol scheme", out error);
        scheme = scheme.ToLowerInvariant();
        var query = "";
        if (rest.EndsWith('?') && rest.Count(c => c == '?') == 1) rest = rest[..^1];
        else if (rest.IndexOf('?') is var q and >= 0) (rest, query) = (rest[..q], rest[(q + 1)..]);
        if (!rest.StartsWith('/'))
        {
            if (scheme.Length > 0)
            {
                url = new KubernetesUrl(scheme, "", "", query); // opaque: mailto:x
                return true;
            }
            if (viaRequest) return Fail("invalid URI for request", out error);
        }
        var host = "";
        if (scheme.Length > 0 && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            rest = "";
            if (authority.IndexOf('/') is var slash and >= 0) (authority, rest) = (authority[..slash], authority[slash..]);
            if (Authority(authority) is { } bad) return Fail(bad, out error);
            var at = authority.LastIndexOf('@');
            host = at < 0 ? authority : authority[(at + 1)..];
        }
        if (Unescape(rest, forHost: false) is { } badPath) return Fail(badPath, out error);
        url = new KubernetesUrl(scheme, host, rest, query);
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    /// <summary>Go's getScheme: [a-zA-Z][a-zA-Z0-9+-.]* before the first ':', or no scheme; false for a leading ':'.</summary>
    private static bool SplitScheme(string raw, out string scheme, out string rest)
    {
        (scheme, rest) = ("", raw);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (char.IsAsciiLetter(c)) continue;
            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0) return true;
                continue;
            }
            if (c == ':')
            {
                if (i == 0) return false;
                (scheme, rest) = (raw[..i], raw[(i + 1)..]);
            }
            return true;
        }
        return true;
    }

    /// <summary>Go's parseAuthority and parseHost: the error, or null.</summary>
    private static string? Authority(string authority)
    {
        var at = authority.LastIndexOf('@');
        var host = at < 0 ? authority : authority[(at + 1)..];
        if (host.StartsWith('['))
        {
            var close = host.LastIndexOf(']');
            if (close < 0) return "missing ']' in host";
            if (!ValidOptionalPort(host[(close + 1)..])) return $"invalid port \"{host[(close + 1)..]}\" after host";
        }
        else if (host.LastIndexOf(':') is var colon and >= 0 && !ValidOptionalPort(host[colon..]))
            return $"invalid port \"{host[colon..]}\" after host";
        if (Unescape(host, forHost: true) is { } badHost) return badHost;
        if (at < 0) return null;
        var userinfo = authority[..at];
        if (!userinfo.All(c => char.IsAsciiLetterOrDigit(c) || "-._:~!$&'()*+,;=%@".Contains(c))) return "net/url: invalid userinfo";
        return Unescape(userinfo, forHost: false);
    }

    private static bool ValidOptionalPort(string port) => port.Length == 0 || (port[0] == ':' && port[1..].All(char.IsAsciiDigit));

    /// <summary>Go's unescape check: every % starts a two-digit hex escape; a host escapes only non-ASCII bytes and holds no character it would have to escape.</summary>
    private static string? Unescape(string s, bool forHost)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                    return $"invalid URL escape \"{s[i..Math.Min(s.Length, i + 3)]}\"";
                if (forHost && Convert.ToInt32(s[i + 1].ToString(), 16) < 8 && s.Substring(i, 3) != "%25")
                    return $"invalid URL escape \"{s.Substring(i, 3)}\"";
                i += 2;
            }
            else if (forHost && c < 0x80 && !char.IsAsciiLetterOrDigit(c) && !"!$&'()*+,;=:[]<>\"-_.~".Contains(c))
                return $"invalid character \"{c}\" in host name";
        }
        return null;
    }
}
