using MeshStack.CrdGen;

// Usage: CrdGen <upstream-root> <output-dir> [--check]
//   Writes the generated C# under <output-dir> and deletes generated files that are no longer produced.
//   --check writes nothing and exits 1 when <output-dir> differs from what would be generated.
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var check = args.Contains("--check");
var unknown = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--check").ToArray();
if (positional.Length != 2 || unknown.Length > 0)
{
    Console.Error.WriteLine("usage: CrdGen <upstream-root> <output-dir> [--check]");
    Console.Error.WriteLine($"example (from the repository root): {CrdGenerator.RegenerateCommand}");
    return 2;
}

var (upstream, output) = (positional[0], positional[1]);
if (!Directory.Exists(upstream))
{
    Console.Error.WriteLine($"error: upstream folder '{upstream}' does not exist.");
    return 2;
}

IReadOnlyList<GeneratedFile> files;
try
{
    files = CrdGenerator.Generate(upstream);
}
catch (Exception e) when (e is InvalidDataException or IOException or YamlDotNet.Core.YamlException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

var differences = OutputFolder.Sync(output, files, write: !check);
foreach (var difference in differences)
{
    Console.WriteLine(difference);
}
Console.WriteLine(check
    ? $"{files.Count} files checked, {differences.Count} differ."
    : $"{files.Count} files generated, {differences.Count} changed.");
return check && differences.Count > 0 ? 1 : 0;
