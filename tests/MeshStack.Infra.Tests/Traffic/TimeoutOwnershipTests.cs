using k8s.Models;
using MeshStack.Config;
using MeshStack.Tests.Support;
using MeshStack.Topology;

namespace MeshStack.Tests.Traffic;

/// <summary>
/// One owner per call: the mesh retries and times out every call, so the app's own client (ServiceDefaults, one
/// attempt when the mesh retries) waits at least as long as the mesh's timeout of every route it calls, in every
/// cluster of every corpus stack, on both meshes. Otherwise a mesh per-try timeout above the app's 2 s default can
/// never retry, and a slow charge is abandoned by order while payment may still commit it.
/// </summary>
public class TimeoutOwnershipTests
{
    private static readonly AppTopology Topology = EcommerceApp.Declare();

    private static TimeSpan Setting(IEnumerable<V1EnvVar> env, string name, int appDefaultMs) =>
        TimeSpan.FromMilliseconds(env.SingleOrDefault(e => e.Name == name) is { } v ? int.Parse(v.Value) : appDefaultMs);

    [Theory]
    [MemberData(nameof(StackCorpus.Names), MemberType = typeof(StackCorpus))]
    public void Apps_never_give_up_on_a_call_before_the_mesh_does(string name)
    {
        var (config, graph) = CorpusRender.GraphOf(name);
        var mesh = config.Mesh == MeshKind.Istio ? "istio" : "linkerd";
        var checkedCalls = 0;
        foreach (var cluster in config.Clusters)
        {
            var sim = new CallPathSimulator(graph, cluster.Name, mesh, Topology);
            foreach (var call in Topology.Calls.Where(c => cluster.Runs(c.From.Name)))
            {
                var env = graph[$"{cluster.Name}-{call.From.Name}-deployment"].As<V1Deployment>().Spec.Template.Spec.Containers[0].Env;
                Assert.Equal("false", env.Single(e => e.Name == "Resilience__AppRetries").Value);
                // the app's defaults when nothing is rendered (services/ServiceDefaults/Resilience.cs): 2 s / 5 s
                var attempt = Setting(env, "Resilience__AttemptTimeoutMs", 2_000);
                var total = Setting(env, "Resilience__TotalTimeoutMs", 5_000);
                foreach (var route in call.Routes)
                {
                    var meshTimeout = sim.Rule(call.To, CallPathSimulator.RequestFor(route), null).Timeout;
                    Assert.True(attempt > meshTimeout && total >= attempt,
                        $"{name} {cluster.Name}: {call.From.Name} gives up on {call.To.Name}/{route.Name} after {attempt.TotalMilliseconds} ms " +
                        $"(total {total.TotalMilliseconds} ms), the mesh allows {meshTimeout.TotalMilliseconds} ms");
                    checkedCalls++;
                }
            }
        }
        Assert.True(checkedCalls > 0);
    }

    [Fact]
    public void A_longer_route_timeout_lengthens_the_callers_timeout_with_it()
    {
        var graph = Stacks.GraphFromYaml("""
            config:
              mesh-stack:clusters: [{name: east, context: kind-east}]
              mesh-stack:traffic:
                routes:
                  payment/charge: {timeout: 30s}
            """);
        var env = graph["east-order-deployment"].As<V1Deployment>().Spec.Template.Spec.Containers[0].Env;
        Assert.Equal("31000", env.Single(e => e.Name == "Resilience__AttemptTimeoutMs").Value);
        Assert.Equal("31000", env.Single(e => e.Name == "Resilience__TotalTimeoutMs").Value);
        // services that call nobody keep the app's defaults: nothing to own
        var payment = graph["east-payment-deployment"].As<V1Deployment>().Spec.Template.Spec.Containers[0].Env;
        Assert.DoesNotContain(payment, e => e.Name.StartsWith("Resilience__", StringComparison.Ordinal) && e.Name.EndsWith("TimeoutMs", StringComparison.Ordinal));
    }
}
