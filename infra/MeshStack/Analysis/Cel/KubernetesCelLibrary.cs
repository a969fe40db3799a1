#if !NO_CEL
using global::Cel;

namespace MeshStack.Analysis.Cel;

/// <summary>
/// The Kubernetes CEL library functions that the rules of the CRDs we emit use and that core CEL (the Cel package) lacks,
/// added to the package's environment: the URL library (<c>url</c>, <c>isURL</c>, <c>getScheme</c>, <c>getHost</c>,
/// <c>getHostname</c>, <c>getPort</c>; kubernetes/apiserver pkg/cel/library/urls.go 123-153, v0.35.0), and the string
/// extensions (<c>split</c>, <c>replace</c>, <c>indexOf</c>, <c>join</c>, <c>substring</c>, <c>trim</c> from the package;
/// <c>lowerAscii</c>, <c>upperAscii</c>) that Kubernetes enables with cel-go's ext.Strings (pkg/cel/environment/base.go 121, 127).
/// </summary>
public static class KubernetesCelLibrary
{
    public static void AddTo(CelEnvironment environment)
    {
        global::Cel.Internal.CelStringHandlingFunctions.RegisterStringExtensionFunctions(environment);
        environment.RegisterFunction("lowerAscii", [typeof(string)], a => string.Concat((Str(a[0])).Select(c => c < 0x80 ? char.ToLowerInvariant(c) : c)));
        environment.RegisterFunction("upperAscii", [typeof(string)], a => string.Concat((Str(a[0])).Select(c => c < 0x80 ? char.ToUpperInvariant(c) : c)));
        environment.RegisterFunction("url", [typeof(string)], a => KubernetesUrl.From(Str(a[0])));
        environment.RegisterFunction("isURL", [typeof(string)], a => KubernetesUrl.IsUrl(Str(a[0])));
        environment.RegisterFunction("getScheme", [typeof(KubernetesUrl)], a => Url(a[0]).Scheme);
        environment.RegisterFunction("getHost", [typeof(KubernetesUrl)], a => Url(a[0]).Host);
        environment.RegisterFunction("getHostname", [typeof(KubernetesUrl)], a => Url(a[0]).Hostname);
        environment.RegisterFunction("getPort", [typeof(KubernetesUrl)], a => Url(a[0]).Port);
    }

    // cel-go answers a call on the wrong type with "no such overload", which the API server reports as a failure
    private static string Str(object? value) => value as string ?? throw new CelEvaluationError("no such overload");

    private static KubernetesUrl Url(object? value) => value as KubernetesUrl ?? throw new CelEvaluationError("no such overload");
}
#endif
