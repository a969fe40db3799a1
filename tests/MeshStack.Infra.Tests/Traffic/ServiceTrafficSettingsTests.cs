using MeshStack.Tests.Support;
using MeshStack.Traffic;

namespace MeshStack.Tests.Traffic;

/// <summary>
/// <c>mesh-stack:traffic</c> binds to one record per service (its load balancing and its route overrides together),
/// and the bound config compares by value: two bindings of the same text are equal, any changed setting is not.
/// </summary>
public class ServiceTrafficSettingsTests
{
    private static string Stack(string orderRoute = "{timeout: 3s, retries: 1}") => $$"""
        config:
          mesh-stack:mesh: istio
          mesh-stack:clusters:
            - name: east
              context: ctx-east
          mesh-stack:traffic:
            services:
              payment: {loadBalancer: round-robin}
              order: {loadBalancer: consistent-hash, hashHeader: x-user-id}
            routes:
              order/list-orders: {{orderRoute}}
              inventory/reserve-stock: {timeout: 4s}
              order/get-order: {timeout: 2s}
        """;

    [Fact]
    public void A_service_s_settings_are_one_record_in_topology_order()
    {
        var traffic = Stacks.ConfigFromYaml(Stack()).Traffic;

        // the topology lists api-gateway, order, inventory, payment, frontend; api-gateway and frontend have no settings
        Assert.Equal(["order", "inventory", "payment"], traffic.Services.Select(s => s.Service));
        var order = traffic.For("order");
        Assert.Equal(new LoadBalancing(LoadBalancerKind.ConsistentHash, "x-user-id"), order.LoadBalancing);
        Assert.Equal([new RouteOverride("list-orders", TimeSpan.FromSeconds(3), 1), new RouteOverride("get-order", TimeSpan.FromSeconds(2), null)], order.Routes);
        Assert.Null(traffic.For("inventory").LoadBalancing);
        Assert.Equal(ServiceTrafficSettings.None("frontend"), traffic.For("frontend"));
    }

    [Fact]
    public void Two_bindings_of_the_same_text_are_equal_and_a_changed_override_is_not()
    {
        var first = Stacks.ConfigFromYaml(Stack()).Traffic;
        var second = Stacks.ConfigFromYaml(Stack()).Traffic;
        var changed = Stacks.ConfigFromYaml(Stack("{timeout: 3s, retries: 2}")).Traffic;

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, changed);
    }
}
