namespace MeshStack.Analysis;

/// <summary>
/// A cluster's identity issuer as the render wires it: the values (usually <c>${resource.property}</c> references) of the
/// root the cluster trusts, the intermediate certificate and key the issuer signs with, and the chain it hands out
/// (null when the mesh takes none). <paramref name="Keys"/> names the four fields for messages.
/// </summary>
public sealed record IssuerChain(ObjectRef Where, IssuerChainKeys Keys, string? Root, string? Cert, string? Key, string? CertChain);

/// <summary>The names of an issuer's fields where the mesh reads them (Secret keys, chart values).</summary>
public sealed record IssuerChainKeys(string Root, string Cert, string Key, string? CertChain);
