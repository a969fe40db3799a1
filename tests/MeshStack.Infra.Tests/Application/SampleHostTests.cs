using Bookshop.AppHost;
using MeshStack.Analysis;
using MeshStack.Analysis.Simulation;
using MeshStack.Cli;
using MeshStack.Config;
using MeshStack.Tests.Support;

namespace MeshStack.Tests.Application;

/// <summary>
/// The sample a user copies (samples/Bookshop): its own host on the library, its own stack file. It must render,
/// check clean and authorize exactly the calls it declares, with nothing of ecommerce in it.
/// </summary>
public class SampleHostTests
{
    private static string SampleDir => Path.Combine(Repo.Root, "samples", "Bookshop");

    private static StackInput Dev(string mesh)
    {
        var path = Path.Combine(Repo.TempDir(), "Pulumi.dev.yaml");
        File.WriteAllText(path, Stacks.WithMesh(File.ReadAllText(Path.Combine(SampleDir, "Pulumi.dev.yaml")), mesh));
        return StackInput.FromFile(path, BookshopApp.Declare());
    }

    [Theory]
    [InlineData("linkerd")]
    [InlineData("istio")]
    public void The_sample_renders_and_checks_clean_on_both_meshes(string mesh)
    {
        var (emitted, report) = Dev(mesh).Analyze();
        Assert.DoesNotContain(report.Findings, f => f.Level != FindingLevel.Info);
        Assert.DoesNotContain("ecommerce", emitted.ProgramYaml);
        Assert.Contains("app.kubernetes.io/part-of: \"bookshop\"", emitted.ProgramYaml);
    }

    [Theory]
    [InlineData("linkerd", "web", "catalog", "GET", "/books", true)]
    [InlineData("linkerd", "web", "catalog", "POST", "/books/42/stock", true)]
    [InlineData("linkerd", "unmeshed", "catalog", "GET", "/books", false)]
    [InlineData("linkerd", "catalog", "web", "GET", "/", false)]
    [InlineData("linkerd", "ingress", "catalog", "GET", "/books", false)]
    [InlineData("linkerd", "ingress", "web", "GET", "/", true)]
    [InlineData("istio", "web", "catalog", "POST", "/books", true)]
    [InlineData("istio", "web", "catalog", "DELETE", "/books/42", false)]
    [InlineData("istio", "catalog", "web", "GET", "/", false)]
    [InlineData("istio", "ingress", "catalog", "GET", "/books", false)]
    public void The_mesh_allows_exactly_the_declared_calls(string mesh, string from, string to, string method, string path, bool allowed)
    {
        var model = Dev(mesh).Model();
        var answer = new RequestExplainer(model).Explain(from, to, new HttpCall(method, path, new Dictionary<string, string>()), null);
        Assert.All(answer.Authorization, w => Assert.Equal(allowed, w.Verdict.Allowed));
        Assert.NotEmpty(answer.Authorization);
    }
}
