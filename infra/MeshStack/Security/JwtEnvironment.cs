using k8s.Models;
using MeshStack.Workloads;

namespace MeshStack.Security;

/// <summary>
/// The JWT settings a service that checks end-users' tokens reads (<c>Jwt__*</c>, services/Identity): the same issuer,
/// keys, audiences and claims the mesh checks at the edge, so both agree on who the caller is.
/// </summary>
public static class JwtEnvironment
{
    public static IEnumerable<V1EnvVar> For(JwtConfig jwt)
    {
        yield return ServiceWorkloads.Var("Jwt__Enabled", "true");
        yield return ServiceWorkloads.Var("Jwt__Issuer", jwt.Issuer);
        yield return ServiceWorkloads.Var("Jwt__JwksUri", jwt.JwksUri);
        for (var i = 0; i < jwt.Audiences.Count; i++) yield return ServiceWorkloads.Var($"Jwt__Audiences__{i}", jwt.Audiences[i]);
        foreach (var (claim, values) in jwt.RequiredClaims)
            for (var i = 0; i < values.Count; i++) yield return ServiceWorkloads.Var($"Jwt__RequiredClaims__{claim}__{i}", values[i]);
    }
}
