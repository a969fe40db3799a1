using System.Text.Json;
using System.Text.Json.Serialization;
using MeshStack.Database;
using MeshStack.Pki;

namespace MeshStack.Graph;

/// <summary>
/// Source-generated JSON metadata of the provider inputs (Helm releases, tls and random resources): camelCase, nulls
/// omitted. A new <see cref="IProviderArgs"/> record must be listed here; until it is, its first serialization fails.
/// </summary>
[JsonSerializable(typeof(HelmReleaseArgs))]
[JsonSerializable(typeof(PrivateKeyArgs))]
[JsonSerializable(typeof(SelfSignedCertArgs))]
[JsonSerializable(typeof(CertRequestArgs))]
[JsonSerializable(typeof(LocallySignedCertArgs))]
[JsonSerializable(typeof(RandomPasswordArgs))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class ProviderArgsJsonContext : JsonSerializerContext
{
}
