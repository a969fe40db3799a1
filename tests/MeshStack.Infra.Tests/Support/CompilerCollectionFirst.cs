using Xunit.Abstractions;

[assembly: TestCollectionOrderer("MeshStack.Tests.Support.CompilerCollectionFirst", "MeshStack.Infra.Tests")]

namespace MeshStack.Tests.Support;

/// <summary>
/// Starts the "compiler" collection first. Its fixture builds the JIT compiler, which starts the Native AOT publish in
/// the background (a minute or two of the run when the sources changed); started first, the publish runs beside the
/// other collections instead of after them, with the AOT tests waiting at the end. The other collections keep their order.
/// </summary>
public sealed class CompilerCollectionFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName == "compiler" ? 0 : 1);
}
