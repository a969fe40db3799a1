using MeshStack.Analysis;
using MeshStack.Analysis.Simulation;

namespace MeshStack.Cli;

/// <summary>
/// <c>explain &lt;stack&gt;|--config FILE|--dir DIR --from X --to Y METHOD PATH [--cluster C] [--header n=v]... [--format text|json]</c>.
/// </summary>
public sealed class ExplainCommand(TextWriter stdout, TextWriter stderr, string workingDirectory, Topology.AppTopology application,
    Synthesis.StackCustomizations? customizations = null)
{
    private const string Usage = "usage: explain <stack>|--config FILE|--dir DIR --from <service|ingress|unmeshed> --to <service> <METHOD> <path> [--cluster C] [--header name=value]... [--format text|json]";

    public int Run(string[] args)
    {
        string? stack = null, configFile = null, dir = null, from = null, to = null, cluster = null, format = "text";
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var needsValue = args[i] is "--config" or "--dir" or "--from" or "--to" or "--cluster" or "--header" or "--format";
            if (needsValue && i + 1 >= args.Length) return Fail($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--config": configFile = args[++i]; break;
                case "--dir": dir = args[++i]; break;
                case "--from": from = args[++i]; break;
                case "--to": to = args[++i]; break;
                case "--cluster": cluster = args[++i]; break;
                case "--format": format = args[++i]; break;
                case "--header":
                    var h = args[++i];
                    var eq = h.IndexOf('=');
                    if (eq <= 0) return Fail($"--header {h}: expected name=value");
                    headers[h[..eq].ToLowerInvariant()] = h[(eq + 1)..];
                    break;
                case var a when a.StartsWith('-') && a.Length > 1 && !a.StartsWith("/", StringComparison.Ordinal): return Fail($"unknown option '{a}'");
                default: positional.Add(args[i]); break;
            }
        }
        if (format is not ("text" or "json")) return Fail($"--format must be text or json, not '{format}'");
        if (configFile is null && dir is null)
        {
            if (positional.Count == 0) return Fail("explain takes a stack name, --config FILE or --dir DIR");
            stack = positional[0];
            positional.RemoveAt(0);
        }
        if (from is null || to is null) return Fail("--from and --to are required");
        if (positional.Count != 2) return Fail("expected <METHOD> <path>");
        var (method, path) = (positional[0].ToUpperInvariant(), positional[1]);
        if (!path.StartsWith('/')) return Fail($"path '{path}' must start with /");

        var source = StackSource.Resolve(stack, configFile, workingDirectory, application, customizations);
        RenderModel model;
        if (dir is not null)
        {
            var config = source?.Input.Bind();
            model = RenderDirectoryReader.Read(Path.GetFullPath(dir, workingDirectory), config?.App ?? application, config);
        }
        else model = source!.Input.Model();
        Explanation answer;
        try
        {
            answer = new RequestExplainer(model).Explain(from, to, new HttpCall(method, path, headers), cluster);
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }
        stdout.Write(format == "json" ? answer.ToJson() : answer.ToText());
        return ExitCodes.Success;
    }

    private int Fail(string message)
    {
        stderr.WriteLine($"error: {message}\n{Usage}");
        return ExitCodes.Failure;
    }
}
