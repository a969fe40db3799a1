using MeshStack.Analysis.Simulation;
using System.Text.Json.Nodes;
using MeshStack.Output;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Security;

/// <summary>Only the services that keep state may open connections to PostgreSQL, judged on the rendered policies.</summary>
public class DatabaseAccessTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Only_the_services_that_keep_state_may_connect_to_postgres(string stack, string mesh)
    {
        var cluster = Stacks.Config(stack).Clusters[0].Name;
        var manifests = StackEmitter.Emit(Stacks.Graph(stack, mesh), []).Manifests.Where(m => m.Cluster == cluster).Select(m => m.Parse()).ToList();
        var sts = manifests.Single(o => o["kind"]!.GetValue<string>() == "StatefulSet" && o["metadata"]!["name"]!.GetValue<string>() == "postgres");
        var labels = sts["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

        var callers = Topology.Services.Select(s => (s.Name, Account: (string?)s.ServiceAccount, Namespace: (string?)Topology.Namespace))
            .Append(("intruder", "intruder", "default"))
            .Append(("unmeshed", null, null));
        var allowed = new List<string>();
        foreach (var (name, account, ns) in callers)
        {
            bool allows;
            if (mesh == "istio")
            {
                var principal = account is null ? null : $"cluster.local/ns/{ns}/sa/{account}";
                allows = new IstioAuthorizer(manifests).Allows("ecommerce", labels, new InboundRequest(principal, "", "", Port: 5432));
            }
            else
            {
                var identity = account is null ? null : $"{account}.{ns}.serviceaccount.identity.linkerd.cluster.local";
                allows = new LinkerdAuthorizer(manifests).Allows("ecommerce", labels, "postgres", new InboundRequest(identity, "", ""));
            }
            if (allows) allowed.Add(name);
        }
        // order (orders), inventory (stock) and payment (the ledger); nothing else, meshed or not
        Assert.Equal(["order", "inventory", "payment"], allowed);
    }
}
