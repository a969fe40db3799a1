using System.Text.RegularExpressions;
using MeshStack.Config;
using MeshStack.Security.Policy;

namespace MeshStack.Security;

/// <summary>Binds the security keys (<c>mtlsOverrides</c>, <c>jwt</c>, <c>edgeTls</c>, <c>policy</c>); called by <see cref="StackConfigBinder"/>.</summary>
public static partial class SecurityConfigBinder
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"^https://\S+$")]
    private static partial Regex HttpsUrl();

    [GeneratedRegex(@"^/[^\s*]*\*?$")]
    private static partial Regex ProtectedPath();

    [GeneratedRegex("^[A-Za-z0-9_.:-]+$")]
    private static partial Regex ClaimName();

    /// <summary>A Secret's name: a DNS-1123 subdomain.</summary>
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SecretName();

    public static EdgeTlsConfig BindEdgeTls(ConfigObject root, bool hasEdge)
    {
        var o = root.Object(ConfigKeys.EdgeTls.Name);
        var name = o.RequiredString("secretName", "the kubernetes.io/tls Secret with the edge certificate, e.g. edge-tls", SecretName(), "a Secret name ([a-z0-9.-], starting and ending with a letter or digit)");
        if (name.Length > 253) o.Problem("secretName", $"\"{name}\" is longer than 253 characters");
        // the engine passes Pulumi.yaml's default whether or not the stack sets the key: only a chosen Secret is a mistake here
        if (!hasEdge && name != EdgeTlsConfig.DefaultSecretName)
            root.Problem(ConfigKeys.EdgeTls.Name, "only used with traffic.edge (the hosts it serves); add an edge host or remove edgeTls");
        o.RejectUnknown();
        return name.Length is > 0 and <= 253 ? new EdgeTlsConfig(name) : EdgeTlsConfig.Default;
    }

    public static Dictionary<string, MtlsMode> BindMtlsOverrides(ConfigObject root)
    {
        var result = new Dictionary<string, MtlsMode>(StringComparer.Ordinal);
        var holder = root.Object(ConfigKeys.MtlsOverrides.Name);
        if (holder.Fields.Count > InputLimits.Items)
        {
            root.Problem(ConfigKeys.MtlsOverrides.Name, $"has {holder.Fields.Count} entries; at most {InputLimits.Items} are allowed (limit)");
            return result;
        }
        foreach (var ns in holder.Fields)
        {
            if (!NamespaceName().IsMatch(ns)) { holder.Problem(ns, "is not a namespace name ([a-z0-9-]+, at most 63 characters)"); continue; }
            result[ns] = holder.Enum(ns, MtlsMode.Strict);
        }
        return result;
    }

    public static JwtConfig? BindJwt(ConfigObject root)
    {
        if (!root.Has(ConfigKeys.Jwt.Name)) return null;
        var o = root.Object(ConfigKeys.Jwt.Name);
        // OpenID Connect issuers are https URLs (the iss claim is compared with this text exactly)
        var issuer = o.RequiredString("issuer", "the token issuer (the iss claim), e.g. https://auth.example.com/", HttpsUrl(), "an https:// URL, exactly as the tokens' iss claim spells it");
        var jwksUri = o.RequiredString("jwksUri", "where the issuer's signing keys are published", HttpsUrl(), "an https:// URL");
        var audiences = o.StringList("audiences");
        for (var i = 0; i < audiences.Count; i++)
        {
            if (audiences[i].Trim().Length == 0) o.Problems.Add($"{o.PathOf("audiences")}[{i}]", "is empty: give the audience (the aud claim) tokens must carry, e.g. ecommerce-api");
        }
        if (audiences.Count == 0 && !o.Problems.Items.Any(p => p.Path.StartsWith(o.PathOf("audiences"), StringComparison.Ordinal)))
            o.Problem("audiences", "required: at least one audience (the aud claim), e.g. [ecommerce-api]");

        var claims = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        var claimsObject = o.Object("requiredClaims");
        if (claimsObject.Fields.Count > InputLimits.Items)
        {
            o.Problem("requiredClaims", $"has {claimsObject.Fields.Count} entries; at most {InputLimits.Items} are allowed (limit)");
        }
        else
        {
            foreach (var name in claimsObject.Fields)
            {
                if (!ClaimName().IsMatch(name)) { claimsObject.Problem(name, "is not a claim name ([A-Za-z0-9_.:-]+)"); continue; }
                var values = claimsObject.StringList(name);
                if (values.Count == 0) claimsObject.Problem(name, "must list at least one accepted value, e.g. [admin, user]");
                else claims.Add(new(name, values));
            }
            claimsObject.RejectUnknown();
        }

        IReadOnlyList<string> paths = o.Has("paths") ? o.StringList("paths") : ["/orders*"];
        for (var i = 0; i < paths.Count; i++)
        {
            if (!ProtectedPath().IsMatch(paths[i]))
                o.Problems.Add($"{o.PathOf("paths")}[{i}]", $"\"{paths[i]}\" must be an absolute path, optionally ending in * (prefix match)");
        }
        if (o.Has("paths") && paths.Count == 0) o.Problem("paths", "must list at least one path; leave it out for the default [/orders*]");
        o.RejectUnknown();
        return new JwtConfig(issuer, jwksUri, audiences, claims, paths);
    }

    public static PolicyConfig BindPolicy(ConfigObject root)
    {
        if (!root.Has(ConfigKeys.Policy.Name)) return PolicyConfig.Default;
        var o = root.Object(ConfigKeys.Policy.Name);
        var warn = o.StringList("warn");
        // every analysis rule (the policy pack is part of it) can be lowered
        var known = Analysis.Analyzer.RuleIds;
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < warn.Count; i++)
        {
            if (known.Contains(warn[i])) { set.Add(warn[i]); continue; }
            var near = NearestName.For(warn[i], known);
            o.Problems.Add($"{o.PathOf("warn")}[{i}]",
                $"\"{warn[i]}\" is not a policy rule{(near is null ? $"; rules: {string.Join(", ", known.Order(StringComparer.Ordinal))}" : $" (did you mean \"{near}\"?)")}");
        }
        o.RejectUnknown();
        return new PolicyConfig(set);
    }
}
