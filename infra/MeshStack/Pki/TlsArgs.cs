using System.Text.Json;
using System.Text.Json.Serialization;
using MeshStack.Graph;

namespace MeshStack.Pki;

[JsonConverter(typeof(JsonStringEnumConverter<KeyAlgorithm>))]
public enum KeyAlgorithm { ECDSA, RSA }

[JsonConverter(typeof(JsonStringEnumConverter<EcdsaCurve>))]
public enum EcdsaCurve { P256, P384 }

/// <summary>The tls provider only knows the snake_case spellings (its docs show camelCase by mistake).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<KeyUsage>))]
public enum KeyUsage { CertSigning, CrlSigning, DigitalSignature, KeyEncipherment, ServerAuth, ClientAuth }

internal sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower) where T : struct, Enum;

public sealed record CertSubject
{
    public string? CommonName { get; init; }
    public string? Organization { get; init; }
    public string? Locality { get; init; }
}

public sealed record PrivateKeyArgs(KeyAlgorithm Algorithm, EcdsaCurve? EcdsaCurve = null, int? RsaBits = null) : IProviderArgs;

public sealed record SelfSignedCertArgs : IProviderArgs
{
    public required string PrivateKeyPem { get; init; }
    public required CertSubject Subject { get; init; }
    public required int ValidityPeriodHours { get; init; }
    public int? EarlyRenewalHours { get; init; }
    public bool IsCaCertificate { get; init; }
    public required IReadOnlyList<KeyUsage> AllowedUses { get; init; }
}

public sealed record CertRequestArgs : IProviderArgs
{
    public required string PrivateKeyPem { get; init; }
    public required CertSubject Subject { get; init; }
    public IReadOnlyList<string>? DnsNames { get; init; }
}

public sealed record LocallySignedCertArgs : IProviderArgs
{
    public required string CertRequestPem { get; init; }
    public required string CaPrivateKeyPem { get; init; }
    public required string CaCertPem { get; init; }
    public required int ValidityPeriodHours { get; init; }
    public int? EarlyRenewalHours { get; init; }
    public bool IsCaCertificate { get; init; }
    public required IReadOnlyList<KeyUsage> AllowedUses { get; init; }
}
