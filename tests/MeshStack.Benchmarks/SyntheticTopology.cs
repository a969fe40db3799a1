using MeshStack.Topology;

namespace MeshStack.Benchmarks;

/// <summary>A topology of N services shaped like the real one: a few routes each, each calling the next two.</summary>
public static class SyntheticTopology
{
    public static AppTopology Create(int services)
    {
        var list = Enumerable.Range(0, services).Select(i => new AppService
        {
            Name = $"svc-{i:D3}",
            Public = i == 0,
            UsesDatabase = i % 10 == 1,
            Routes =
            [
                ApiRoute.Read("list", PathMatch.Exact($"/svc{i}")),
                ApiRoute.Read("get", PathMatch.Prefix($"/svc{i}/")),
                ApiRoute.Write("create", PathMatch.Exact($"/svc{i}")),
            ],
        }).ToList();
        var calls = new List<ServiceCall>();
        for (var i = 0; i < services; i++)
        {
            for (var step = 1; step <= 2 && i + step < services; step++)
                calls.Add(new ServiceCall(list[i], list[i + step], list[i + step].Routes));
        }
        return new AppTopology("ecommerce", list, calls);
    }
}
