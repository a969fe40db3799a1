using k8s;
using k8s.Models;

namespace MeshStack.Linkerd;

/// <summary>
/// A Linkerd policy object (Server, HTTPRoute, MeshTLSAuthentication, NetworkAuthentication) as the objects that refer to
/// it name it (parentRefs, targetRef, requiredAuthenticationRefs): read from the object that was made, so a referrer
/// cannot name something that was never made, or made under another name.
/// </summary>
public sealed record PolicyRef(string Group, string Kind, string Name)
{
    public static PolicyRef Of(IKubernetesObject<V1ObjectMeta> made) =>
        new(made.ApiVersion.Split('/')[0], made.Kind, made.Metadata.Name);

    /// <summary>Adds <paramref name="made"/> to <paramref name="objects"/> and returns its reference.</summary>
    public static PolicyRef Emit(List<object> objects, IKubernetesObject<V1ObjectMeta> made)
    {
        objects.Add(made);
        return Of(made);
    }
}
