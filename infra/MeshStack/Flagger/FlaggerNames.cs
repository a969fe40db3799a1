namespace MeshStack.Flagger;

/// <summary>Names Flagger derives from a canary's target (<c>pkg/canary</c>, <c>GetServiceNames</c>).</summary>
public static class FlaggerNames
{
    /// <summary>The Deployment Flagger copies from the target, and the Service of its pods; also their <c>app</c> label value.</summary>
    public static string Primary(string service) => $"{service}-primary";

    /// <summary>The Service of the target's own pods (the canary under analysis).</summary>
    public static string Canary(string service) => $"{service}-canary";
}
