namespace MeshStack.Graph;

/// <summary>Pulumi type tokens and the plugin versions pinned for them.</summary>
public static class TypeTokens
{
    public const string KubernetesProvider = "pulumi:providers:kubernetes";
    public const string HelmRelease = "kubernetes:helm.sh/v3:Release";
    public const string ConfigGroup = "kubernetes:yaml/v2:ConfigGroup";

    public const string TlsPrivateKey = "tls:index/privateKey:PrivateKey";
    public const string TlsSelfSignedCert = "tls:index/selfSignedCert:SelfSignedCert";
    public const string TlsCertRequest = "tls:index/certRequest:CertRequest";
    public const string TlsLocallySignedCert = "tls:index/locallySignedCert:LocallySignedCert";

    public const string RandomPassword = "random:index/randomPassword:RandomPassword";

    /// <summary>The token of a package's provider resource: <c>pulumi:providers:&lt;package&gt;</c>.</summary>
    public static string Provider(string package) => $"pulumi:providers:{package}";

    public static bool IsProvider(string token) => token.StartsWith("pulumi:providers:", StringComparison.Ordinal);

    /// <summary>Kubernetes resource token: the core group is spelled <c>core</c>.</summary>
    public static string Kubernetes(string group, string version, string kind) =>
        $"kubernetes:{(group.Length == 0 ? "core" : group)}/{version}:{kind}";

    /// <summary>The package a token belongs to (<c>kubernetes</c>, <c>tls</c>, <c>random</c>).</summary>
    public static string Package(string token) =>
        IsProvider(token) ? token["pulumi:providers:".Length..] : token[..token.IndexOf(':')];
}

/// <summary>
/// Plugin versions, put on every resource of a package: the engine takes the version of the first
/// resource it walks, so one pin everywhere is the only consistent choice.
/// </summary>
public static class PluginVersions
{
    public const string Kubernetes = "4.34.2";
    public const string Tls = "5.6.1";
    public const string Random = "4.21.2";

    public static string For(string package) => package switch
    {
        "kubernetes" => Kubernetes,
        "tls" => Tls,
        "random" => Random,
        _ => throw new ArgumentException($"no pinned plugin version for package '{package}'", nameof(package)),
    };
}
