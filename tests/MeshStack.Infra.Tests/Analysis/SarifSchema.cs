using System.Diagnostics;

namespace MeshStack.Tests.Analysis;

/// <summary>
/// The SARIF 2.1.0 JSON schema (the SARIF multitool's npm package ships it as sarif-2.1.0.json; .ci/run caches it) and a
/// validator: python3's jsonschema, which implements the schema's draft (2020-12). The path is MESHSTACK_SARIF_SCHEMA,
/// or the cache .ci/run fills.
/// </summary>
public static class SarifSchema
{
    public static string Path { get; } = Environment.GetEnvironmentVariable("MESHSTACK_SARIF_SCHEMA") is { Length: > 0 } env
        ? env
        : System.IO.Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "meshstack", "sarif-2.1.0.json");

    public static bool Exists => File.Exists(Path);

    /// <summary>The validator's complaints, empty when the document is valid SARIF 2.1.0.</summary>
    public static string Validate(string sarif)
    {
        var file = System.IO.Path.Combine(Support.Repo.TempDir(), "report.sarif");
        File.WriteAllText(file, sarif);
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("""
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.validators.validator_for(schema)(schema)
            errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(json.load(open(sys.argv[2])))]
            print("\n".join(errors))
            """);
        psi.ArgumentList.Add(Path);
        psi.ArgumentList.Add(file);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"python3 jsonschema failed: {err.Result}");
        return output.Trim();
    }
}

/// <summary>A fact that needs the SARIF schema; skipped, naming where it looked, when it is absent.</summary>
public sealed class SarifSchemaFactAttribute : FactAttribute
{
    public SarifSchemaFactAttribute()
    {
        if (!SarifSchema.Exists) Skip = $"SARIF 2.1.0 schema not found at {SarifSchema.Path} (set MESHSTACK_SARIF_SCHEMA, or run .ci/run once to cache it)";
    }
}
