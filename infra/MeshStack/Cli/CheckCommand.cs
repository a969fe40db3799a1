using MeshStack.Analysis;
using MeshStack.Analysis.Formats;
using MeshStack.Config;

namespace MeshStack.Cli;

/// <summary>
/// <c>check &lt;stack&gt; | --config FILE | --dir DIR [--config FILE] [--crds FILE|DIR]... [--format text|json|sarif]</c>: the findings on
/// stdout; exit 0 without an error finding, 4 with one (2 for invalid config, 1 otherwise, from the caller).
/// </summary>
public sealed class CheckCommand(TextWriter stdout, TextWriter stderr, string workingDirectory, Topology.AppTopology application,
    Synthesis.StackCustomizations? customizations = null)
{
    public int Run(string[] args)
    {
        if (args is ["--rules"])
        {
            // the catalogue: what README lists
            foreach (var r in Analyzer.Rules) stdout.WriteLine($"{r.Id}\t{r.Level.ToString().ToLowerInvariant()}\t{(r.ReadsConfig ? "needs config" : "")}\t{r.Summary}");
            return ExitCodes.Success;
        }
        string? stack = null, configFile = null, dir = null, format = "text";
        var crds = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length: configFile = args[++i]; break;
                case "--dir" when i + 1 < args.Length: dir = args[++i]; break;
                case "--format" when i + 1 < args.Length: format = args[++i]; break;
                case "--crds" when i + 1 < args.Length: crds.Add(Path.GetFullPath(args[++i], workingDirectory)); break;
                case "--config" or "--dir" or "--format" or "--crds": return Fail($"{args[i]} needs a value");
                case var a when a.StartsWith('-'): return Fail($"unknown option '{a}'");
                case var a when stack is null: stack = a; break;
                default: return Fail($"unexpected argument '{args[i]}'");
            }
        }
        if (format is not ("text" or "json" or "sarif")) return Fail($"--format must be text, json or sarif, not '{format}'");
        if (stack is not null && (configFile is not null || dir is not null)) return Fail("check takes a stack name, --config FILE or --dir DIR");
        if (stack is null && configFile is null && dir is null) return Fail("check takes a stack name, --config FILE or --dir DIR");

        var source = StackSource.Resolve(stack, configFile, workingDirectory, application, customizations);
        RenderModel model;
        string? stackFile = source?.Path;
        if (dir is not null)
        {
            var full = Path.GetFullPath(dir, workingDirectory);
            if (!Directory.Exists(full)) return Fail($"render directory '{full}' does not exist");
            var config = source?.Input.Bind();
            model = RenderDirectoryReader.Read(full, config?.App ?? application, config);
        }
        else
        {
            model = source!.Input.Model();
        }

        if (crds.Count > 0) model = model.WithCrds(Analysis.Cel.CrdSchemaReader.Read(crds));
        var report = Analyzer.Run(model);
        if (report.Skipped.Count > 0)
            stderr.WriteLine($"note: {report.Skipped.Count} rules compare the render with the stack's intent and need --config FILE: {string.Join(", ", report.Skipped)}");
        stdout.Write(format switch
        {
            "json" => JsonFormat.Write(report),
            "sarif" => SarifFormat.Write(report, Analyzer.Rules, f => Artifact(f, dir, stackFile)),
            _ => TextFormat.Write(report),
        });
        var (errors, warnings) = (report.Errors.Count(), report.Warnings.Count());
        // the rules that ran: this mesh's and the common ones, less those skipped for want of the config
        var ran = Analyzer.RulesFor(model.Mesh).Count() - report.Skipped.Count;
        stderr.WriteLine($"checked {model.Stack}: {errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")} ({ran} rules, {model.Objects.Count} objects)");
        return errors > 0 ? ExitCodes.Findings : ExitCodes.Success;
    }

    /// <summary>Where a reviewer changes it: the manifest of a checked directory, otherwise the stack file.</summary>
    private string Artifact(Finding f, string? dir, string? stackFile)
    {
        if (dir is not null)
        {
            var file = f.Object.Namespace is null ? $"{f.Object.Kind.ToLowerInvariant()}-{f.Object.Name}.yaml" : $"{f.Object.Namespace}-{f.Object.Kind.ToLowerInvariant()}-{f.Object.Name}.yaml";
            var path = Path.Combine("manifests", f.Object.Cluster, file);
            return File.Exists(Path.Combine(Path.GetFullPath(dir, workingDirectory), path)) ? path.Replace('\\', '/') : "Main.yaml";
        }
        return stackFile is null ? "Pulumi.yaml" : Path.GetRelativePath(ProjectRoot.Find(workingDirectory) ?? workingDirectory, stackFile).Replace('\\', '/');
    }

    private int Fail(string message)
    {
        stderr.WriteLine($"error: {message}\nusage: check <stack> | --config FILE | --dir DIR [--config FILE] [--crds FILE|DIR]... [--format text|json|sarif]\n       check --rules");
        return ExitCodes.Failure;
    }
}
