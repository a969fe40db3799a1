using MeshStack.Synthesis;

namespace MeshStack.Traffic;

/// <summary>
/// The frontend calls the api-gateway on its user's behalf: with a canary header configured, it is told the header's
/// name (<c>Canary__Header</c>) and passes it on from the request it serves, so an internal user reaches the canary
/// through the page too. The api-gateway forwards every request header already (YARP).
/// </summary>
public static class CanaryHeaderForwarding
{
    public const string Service = "frontend";
    public const string Variable = "Canary__Header";

    public static void Configure(ClusterPlan plan, CanaryIntent? canary)
    {
        if (canary is not { Header: { } header }) return;
        plan.CustomizeDeployments((service, deployment) =>
        {
            if (service.Name != Service) return;
            var container = deployment.Spec.Template.Spec.Containers.First(c => c.Name == service.Name);
            container.Env ??= [];
            container.Env.Add(Workloads.ServiceWorkloads.Var(Variable, header.Name));
        });
    }
}
