using System.Text.Json.Nodes;

namespace MeshStack.Analysis;

/// <summary>A resource of the Pulumi program other than a Kubernetes object or a Helm release: its name, type token and inputs.</summary>
public sealed record ProgramResource(string Name, string Type, JsonObject Properties)
{
    /// <summary>The tls provider's resources: the meshes' roots and intermediates are made from these.</summary>
    public static bool IsTls(string type) => type.StartsWith("tls:", StringComparison.Ordinal);

    public bool IsCertificateAuthority =>
        Properties["isCaCertificate"] is JsonValue v && v.TryGetValue<bool>(out var ca) && ca;

    public bool MaySign => Json.Strings(Properties["allowedUses"]).Contains("cert_signing");
}
