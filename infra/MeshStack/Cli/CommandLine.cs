using System.Text;
using MeshStack.Analysis;
using MeshStack.Config;
using MeshStack.Output;
using MeshStack.Security.Policy;

namespace MeshStack.Cli;

/// <summary>
/// The command line (DESIGN §4): <c>program</c>, <c>render &lt;stack&gt; [--out DIR]</c>,
/// <c>render --config FILE [--out DIR]</c>. stdout carries the program and nothing else.
/// </summary>
/// <param name="application">The host's application (a stack's <c>mesh-stack:app</c> replaces it).</param>
/// <param name="customizations">The host's patches on emitted objects (<see cref="Synthesis.StackCustomizations"/>).</param>
public sealed class CommandLine(TextWriter stdout, TextWriter stderr, Func<string, string?> environment, string workingDirectory,
    Topology.AppTopology application, Synthesis.StackCustomizations? customizations = null)
{
    private const string Usage = """
        usage:
          MeshStack.Infra program                          print the Pulumi program for PULUMI_STACK/PULUMI_CONFIG
          MeshStack.Infra render <stack> [--out DIR]       write Main.yaml and manifests/ from Pulumi.<stack>.yaml
          MeshStack.Infra render --config FILE [--out DIR] the same from any Pulumi.<name>.yaml
          MeshStack.Infra check <stack> | --config FILE | --dir DIR [--config FILE] [--crds FILE|DIR]... [--format text|json|sarif]
                                                           analyse what the stack renders (exit 4 on an error finding)
          MeshStack.Infra explain <stack>|--config FILE|--dir DIR --from <service|ingress|unmeshed> --to <service>
                          <METHOD> <path> [--cluster C] [--header name=value]... [--format text|json]
                                                           what the mesh does with that request
        """;

    public int Run(string[] args)
    {
        try
        {
            return args switch
            {
                ["program"] => Program(),
                ["render", .. var rest] => Render(rest),
                ["check", .. var rest] => new CheckCommand(stdout, stderr, workingDirectory, application, customizations).Run(rest),
                ["explain", .. var rest] => new ExplainCommand(stdout, stderr, workingDirectory, application, customizations).Run(rest),
                ["--help" or "-h" or "help"] => Help(),
                _ => Fail($"unknown command '{string.Join(' ', args)}'\n{Usage}"),
            };
        }
        catch (ConfigException e)
        {
            stderr.WriteLine($"error: {e.Message}:");
            foreach (var p in e.Problems) stderr.WriteLine($"  {p}");
            return ExitCodes.InvalidConfig;
        }
        catch (PolicyViolationException e)
        {
            stderr.WriteLine($"error: {e.Message}:");
            foreach (var f in e.Findings) stderr.WriteLine($"  {f}");
            return ExitCodes.InvalidConfig;
        }
        catch (StackNameException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidConfig;
        }
        catch (RenderTargetException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is SynthesisException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Error findings (and the warnings with them) on stderr, exit 4.</summary>
    private int Refuse(AnalysisReport report, string reason)
    {
        var errors = report.Findings.Count(f => f.Level == FindingLevel.Error || report.Lowered.Contains(f));
        stderr.WriteLine($"error: the analysis refused the stack ({errors} finding{(errors == 1 ? "" : "s")}); {reason}:");
        foreach (var f in report.Findings.Where(f => f.Level != FindingLevel.Info)) stderr.WriteLine($"  {f}");
        return ExitCodes.Findings;
    }

    private int Help()
    {
        stderr.WriteLine(Usage);
        return ExitCodes.Success;
    }

    private int Fail(string message)
    {
        stderr.WriteLine($"error: {message}");
        return ExitCodes.Failure;
    }

    /// <summary>
    /// What Pulumi's YAML runtime runs. Without PULUMI_STACK (plugin discovery, <c>pulumi convert</c>) it must
    /// still print a valid program: the dev stack's.
    /// </summary>
    private int Program()
    {
        // Pulumi sets PULUMI_STACK and PULUMI_CONFIG together (pulumi-yaml pkg/server/server.go 207-233, v1.38.1);
        // config without a stack is not a call Pulumi makes, and answering it with the dev program would deploy
        // another stack's resources
        var stack = environment("PULUMI_STACK");
        var engineConfig = environment("PULUMI_CONFIG");
        if (string.IsNullOrEmpty(stack) && engineConfig is not null)
            return Fail("PULUMI_CONFIG is set but PULUMI_STACK is not: Pulumi always sets both; set PULUMI_STACK to the stack the config belongs to");
        if (environment("PULUMI_PROJECT") is { Length: > 0 } project && project != ConfigKeys.Project)
            return Fail($"PULUMI_PROJECT is '{project}', but this program is the '{ConfigKeys.Project}' project (its config keys are {ConfigKeys.Project}:*); name the project {ConfigKeys.Project} in Pulumi.yaml");
        StackInput input;
        if (!string.IsNullOrEmpty(stack))
        {
            input = new StackInput(stack, RawConfig.FromEngineJson(engineConfig ?? "{}"), application) { Customizations = customizations };
        }
        else
        {
            var root = ProjectRoot.Find(workingDirectory, AppContext.BaseDirectory)
                ?? throw new IOException("no Pulumi.yaml of this project above the working directory; cannot find the dev stack");
            input = StackInput.FromFile(Path.Combine(root, "Pulumi.dev.yaml"), application) with { Customizations = customizations };
        }
        var (emitted, report) = input.Analyze(withManifests: false);
        if (report.HasErrors) return Refuse(report, "the stack would not work as declared");
        // Pulumi discards the compiler's stderr, so a warning here would never be seen: lowered rules fail too
        if (report.Lowered.Count > 0)
            return Refuse(report with { Findings = report.Lowered },
                "these rules are lowered to warnings by mesh-stack:policy.warn, which only `render` can report (Pulumi discards the program's stderr); fix them before `pulumi up`");
        foreach (var f in report.Warnings) stderr.WriteLine(f);
        // raw UTF-8 bytes: the runtime parses exactly this text as the program
        using var stdoutStream = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
        if (ReferenceEquals(stdout, Console.Out)) stdoutStream.Write(emitted.ProgramYaml);
        else stdout.Write(emitted.ProgramYaml);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Test-only hook (MESHSTACK_TEST_RENDER_PAUSE=staged|swapped): the render stops at that step for a minute, so a
    /// test can kill the process there and check what the next render finds.
    /// </summary>
    private Action<string>? TestPause()
    {
        if (environment("MESHSTACK_TEST_RENDER_PAUSE") is not { Length: > 0 } at) return null;
        return step =>
        {
            if (step != at) return;
            stderr.WriteLine($"paused: {step}");
            stderr.Flush();
            Thread.Sleep(TimeSpan.FromMinutes(1));
        };
    }

    private int Render(string[] args)
    {
        string? stack = null, configFile = null, outDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
                case "--config" when i + 1 < args.Length: configFile = args[++i]; break;
                case "--out" or "--config": return Fail($"{args[i]} needs a value\n{Usage}");
                case var a when a.StartsWith('-'): return Fail($"unknown option '{a}'\n{Usage}");
                case var a when stack is null: stack = a; break;
                default: return Fail($"unexpected argument '{args[i]}'\n{Usage}");
            }
        }
        if ((stack is null) == (configFile is null)) return Fail($"render takes a stack name or --config FILE (one of them)\n{Usage}");

        string path, root;
        if (configFile is not null)
        {
            path = Path.GetFullPath(configFile, workingDirectory);
            root = ProjectRoot.Find(workingDirectory) ?? workingDirectory;
        }
        else
        {
            root = ProjectRoot.Find(workingDirectory)
                ?? throw new IOException("no Pulumi.yaml of this project in or above the working directory");
            path = Path.Combine(root, $"Pulumi.{stack}.yaml");
        }
        if (Directory.Exists(path)) return Fail($"stack config '{path}' is a folder: give a Pulumi.<stack>.yaml file");
        if (!File.Exists(path)) return Fail($"stack config '{path}' does not exist");

        var stackName = StackFile.StackNameOf(path);
        // checked before anything is read or written: a render only ever replaces a render
        var target = RenderTarget.Check(outDir ?? Path.Combine(root, "out", stackName), workingDirectory,
            [workingDirectory, root, Path.GetDirectoryName(path)!]);
        var input = StackInput.FromFile(path, application) with { Customizations = customizations };
        var (emitted, report) = input.Analyze();
        if (report.HasErrors) return Refuse(report, "nothing written");
        foreach (var f in report.Warnings)
            stderr.WriteLine(report.Lowered.Contains(f) ? $"{f} (lowered by mesh-stack:policy.warn; `program` fails on it)" : f.ToString());
        var warning = RenderDirectory.Write(emitted, input.Stack, target, TestPause());
        if (warning is not null) stderr.WriteLine($"warning: {warning}");
        stderr.WriteLine($"rendered {input.Stack}: {emitted.ResourceCount} resources, {emitted.Manifests.Count} manifests -> {target}");
        return ExitCodes.Success;
    }
}
