using System.Text.Json.Nodes;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Availability;

/// <summary>
/// Item 7 of issue 13: a replicated Istio stack really runs at least two pods of every gateway (ingress and
/// east-west) and of istiod, and a node drain leaves at least one of each (see <see cref="IstioChartAvailability"/>
/// for the chart lines the model follows).
/// </summary>
public class IstioAvailabilityTests
{


    [SkippableTheoryIfNoShared]
    [MemberData(nameof(StackCorpus.IstioNames), MemberType = typeof(StackCorpus))]
    public void Replicated_istio_keeps_two_pods_of_every_gateway_and_istiod_and_one_through_a_drain(string name)
    {
        var releases = ChartValues.Releases(ReplicatedCorpus.Emit(name)).Where(r => r.Chart is "gateway" or "istiod").ToList();
        Assert.Contains(releases, r => r.Name == "istio-ingress");
        Assert.Contains(releases, r => r.Chart == "istiod");
        if (name != "generated:istio-1-cluster") Assert.Contains(releases, r => r.Name == "istio-eastwestgateway");
        foreach (var release in releases)
        {
            var availability = IstioChartAvailability.Of(release.Chart, release.Values);
            Assert.True(availability.Floor >= 2, $"{release}: the chart keeps {availability.Floor} pod(s)");
            Assert.True(availability.SurvivingDrain >= 1, $"{release}: a drain may leave {availability.SurvivingDrain} pod(s)");
        }
    }

    /// <summary>The values today's stack rendered before the fix: replicaCount 2 under the chart's default autoscaling.</summary>
    [SkippableTheoryIfNoShared]
    [InlineData("gateway")]
    public void Seeded_fault_replica_count_under_default_autoscaling_runs_one_gateway_pod_without_budget(string chart)
    {
        var availability = IstioChartAvailability.Of(chart, new JsonObject { ["replicaCount"] = 2 });
        Assert.Equal(new IstioChartAvailability(1, 0), availability);
    }

    [SkippableTheoryIfNoShared]
    [InlineData("istiod")]
    public void Seeded_fault_istiod_replica_count_alone_runs_one_pod_without_budget(string chart)
    {
        Assert.Equal(new IstioChartAvailability(1, 0), IstioChartAvailability.Of(chart, new JsonObject { ["replicaCount"] = 2 }));
        // and with autoscaling off, replicaCount is what runs and the default budget appears
        Assert.Equal(new IstioChartAvailability(2, 1), IstioChartAvailability.Of(chart, new JsonObject { ["replicaCount"] = 2, ["autoscaleEnabled"] = false }));
    }
}
