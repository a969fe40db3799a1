using System.Text;

namespace MeshStack.Tests.BadInput;

/// <summary>The inputs issue 16 found mishandled, each with the message that now names the place and the fix.</summary>
public static class ListedCases
{
    private const string Head = "config:\n  mesh-stack:mesh: istio\n";
    private const string One = Head + "  mesh-stack:clusters:\n    - name: east\n      context: ctx-east\n";
    private const string LinkerdOne = "config:\n  mesh-stack:mesh: linkerd\n  mesh-stack:clusters:\n    - name: dev\n      context: ctx-dev\n";

    private static string Two(string eastExtra = "", string westExtra = "") => Head + "  mesh-stack:clusters:\n"
        + "    - name: east\n      context: ctx-east\n      server: https://api.east.example.com:6443\n" + eastExtra
        + "    - name: west\n      context: ctx-west\n      server: https://api.west.example.com:6443\n" + westExtra;

    private static string Server(string server) => One + $"      server: {server}\n";

    public static IEnumerable<BadInput> All()
    {
        // crashes: exit 2 with file:line:column
        yield return BadInput.Text("unclosed flow sequence", One + "  mesh-stack:replicas: [1, 2\n", "Pulumi.bad.yaml:6:24: is not valid YAML: the [ or { here is never closed");
        yield return BadInput.Text("unclosed flow mapping at the end", "config: {mesh-stack:mesh: istio", "Pulumi.bad.yaml:1:9: is not valid YAML: the [ or { here is never closed");
        yield return BadInput.Text("non-scalar mapping key", "config:\n  ? [a, b]\n  : 1\n", "Pulumi.bad.yaml:2:5: a key must be a plain name, not a list");
        yield return BadInput.Text("mapping as a key", "config:\n  ? {a: 1}\n  : 1\n", "Pulumi.bad.yaml:2:5: a key must be a plain name, not a mapping");
        yield return BadInput.Text("alias of a list as a key", "config:\n  x: &l [1]\n  *l : 2\n", "Pulumi.bad.yaml:3:3: a key must be a plain name");
        yield return BadInput.Text("lists nested 100000 deep", One + "  mesh-stack:x: " + new string('[', 100_000) + new string(']', 100_000) + "\n", $"nested more than 32 levels deep");
        yield return BadInput.Text("mappings nested 5000 deep", One + "  mesh-stack:x: " + string.Concat(Enumerable.Repeat("{a: ", 5000)) + "1" + new string('}', 5000) + "\n", "nested more than 32 levels deep");
        yield return BadInput.Text("block lists nested 40 deep", One + "  mesh-stack:x:\n" + string.Concat(Enumerable.Range(0, 40).Select(i => new string(' ', 4 + 2 * i) + "-\n")) + new string(' ', 84) + "- 1\n", "nested more than 32 levels deep");
        yield return BadInput.Text("self-referencing alias", One + "  mesh-stack:x: &a [*a]\n", "Pulumi.bad.yaml:6:21: alias *a is inside the value it names");
        yield return BadInput.Text("self-referencing mapping alias", One + "  mesh-stack:x: &a {b: *a}\n", "alias *a is inside the value it names");

        // resource exhaustion: refused by the limits
        yield return BadInput.Text("alias expansion bomb, 8 levels of 10", One + "  mesh-stack:bomb:\n    l0: &l0 [x,x,x,x,x,x,x,x,x,x]\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"    l{i}: &l{i} [{string.Join(",", Enumerable.Repeat($"*l{i - 1}", 10))}]\n")),
            "the document expands to more than 10000 values");
        yield return new BadInput("a 5 MB key", Encoding.UTF8.GetBytes("config:\n  mesh-stack:" + new string('k', 5_000_000) + ": 1\n"), "may be at most 1048576 bytes");
        yield return BadInput.Text("a 500 KB value", One + "  mesh-stack:meshId: " + new string('v', 500_000) + "\n", "the limit is 65536");
        yield return BadInput.Text("a 300-character key", One + $"  mesh-stack:{new string('k', 300)}: 1\n", "a key of 311 characters; the limit is 256");
        yield return BadInput.Text("500 clusters", Head + "  mesh-stack:clusters:\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"    - {{name: c{i}, context: x{i}, server: \"https://c{i}.example.com\"}}\n")),
            "mesh-stack:clusters: has 500 items; at most 20 are allowed");
        yield return BadInput.Text("200 fault drills", One + "  mesh-stack:traffic:\n    faults:\n" + string.Concat(Enumerable.Repeat("      - {service: order, percent: 1, abortStatus: 503}\n", 200)),
            "mesh-stack:traffic.faults: has 200 items; at most 100 are allowed");
        yield return BadInput.Text("200 required claims", One + "  mesh-stack:jwt:\n    issuer: https://a.example.com/\n    jwksUri: https://a.example.com/k\n    audiences: [x]\n    requiredClaims:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"      c{i}: [v]\n")),
            "mesh-stack:jwt.requiredClaims: has 200 entries; at most 100 are allowed");
        yield return BadInput.Text("200 namespaces in mtlsOverrides", One + "  mesh-stack:mtlsOverrides:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"    ns{i}: strict\n")),
            "mesh-stack:mtlsOverrides: has 200 entries; at most 100 are allowed");

        // exit 1 where 2 belongs
        yield return BadInput.Text("samplingPercent 1e400", One + "  mesh-stack:tracing:\n    samplingPercent: 1e400\n", "Pulumi.bad.yaml:7:22: the number 1e400 is too large");
        yield return BadInput.Text("top-level replicas 1e400", One + "  mesh-stack:replicas: 1e400\n", "mesh-stack:replicas: must be a whole number, not \"1e400\"");
        yield return BadInput.Engine("duplicate key in PULUMI_CONFIG", """{"mesh-stack:clusters":"[{\"name\":\"a\",\"context\":\"b\"}]","mesh-stack:mesh":"istio","mesh-stack:mesh":"linkerd"}""", "PULUMI_CONFIG: mesh-stack:mesh: is given twice");
        yield return BadInput.Text("cluster name -dev-", "config:\n  mesh-stack:clusters:\n    - name: -dev-\n      context: c\n", "mesh-stack:clusters[0].name: \"-dev-\" must match [a-z0-9-]+, starting and ending with a letter or digit");
        yield return BadInput.Text("cluster name dev-", "config:\n  mesh-stack:clusters:\n    - name: dev-\n      context: c\n", "mesh-stack:clusters[0].name: \"dev-\" must match");
        yield return BadInput.Text("edge host of 260 characters", One + "  mesh-stack:traffic:\n    edge:\n      - host: " + string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".example.com\n        service: api-gateway\n",
            "mesh-stack:traffic.edge[0].host: \"aaaa");

        yield return BadInput.Text("edge host whose object name passes 253 characters", One + "  mesh-stack:traffic:\n    edge:\n      - host: " + string.Join('.', Enumerable.Repeat(new string('a', 61), 3)) + "." + new string('b', 59) + ".com\n        service: api-gateway\n",
            "is too long for the edge object named after it (254 characters; Kubernetes names have at most 253): use a host of at most 248 characters");

        // accepted but wrong
        foreach (var (name, server) in new[] { ("LOCALHOST", "https://LOCALHOST:6443"), ("localhost.", "https://localhost.:6443"), ("0", "https://0:6443"), ("127.1.2.3", "https://127.1.2.3"), ("0.0.0.0", "https://0.0.0.0:6443"), ("a.localhost", "https://api.localhost:6443") })
            yield return BadInput.Text($"loopback server {name}", Server(server), "mesh-stack:clusters[0].server: \"" + server + "\" is a loopback address");
        yield return BadInput.Text("server port 99999", Server("https://api.example.com:99999"), "mesh-stack:clusters[0].server: \"https://api.example.com:99999\" is not a valid https URL");
        yield return BadInput.Text("server over http", Server("http://api.example.com:6443"), "mesh-stack:clusters[0].server: \"http://api.example.com:6443\" must match an https:// URL");
        yield return BadInput.Text("empty context", "config:\n  mesh-stack:clusters:\n    - name: east\n      context: ''\n", "mesh-stack:clusters[0].context: is empty");
        yield return BadInput.Text("blank context", "config:\n  mesh-stack:clusters:\n    - name: east\n      context: '   '\n", "mesh-stack:clusters[0].context: is empty");
        yield return BadInput.Text("kubeconfig in plain text", One + "  mesh-stack:kubeconfig: 'apiVersion: v1'\n", "mesh-stack:kubeconfig: is a secret but is written in plain text in the stack file");
        yield return BadInput.Text("kubeconfig as a nested plain object", One + "  mesh-stack:kubeconfig:\n    clusters: []\n", "mesh-stack:kubeconfig: is a secret but is written in plain text");
        foreach (var version in new[] { "\"\"", "latest", "\">=2026.1.0\"", "'not a version!'", "1.31", "\"~1.31.1\"", "1.31.x" })
            yield return BadInput.Text($"chart version {version}", One + $"  mesh-stack:charts:\n    istio:\n      version: {version}\n", "mesh-stack:charts.istio.version: ");
        yield return BadInput.Text("storageClass 'Fast SSD!'", One + "  mesh-stack:database:\n    storageClass: 'Fast SSD!'\n", "mesh-stack:database.storageClass: \"Fast SSD!\" must match a StorageClass name");
        yield return BadInput.Text("storageSize 0Gi", One + "  mesh-stack:database:\n    storageSize: 0Gi\n", "mesh-stack:database.storageSize: \"0Gi\" is no space at all");
        yield return BadInput.Text("storageSize 0.0Mi", One + "  mesh-stack:database:\n    storageSize: 0.0Mi\n", "mesh-stack:database.storageSize: \"0.0Mi\" is no space at all");
        yield return BadInput.Text("an IP as an edge host", One + "  mesh-stack:traffic:\n    edge:\n      - host: 10.0.0.1\n        service: api-gateway\n", "mesh-stack:traffic.edge[0].host: \"10.0.0.1\" is an IP address");
        yield return BadInput.Text("jwt issuer that is not https", One + "  mesh-stack:jwt:\n    issuer: auth.example.com\n    jwksUri: https://auth.example.com/jwks.json\n    audiences: [api]\n", "mesh-stack:jwt.issuer: \"auth.example.com\" must match an https:// URL");
        yield return BadInput.Text("empty audience", One + "  mesh-stack:jwt:\n    issuer: https://auth.example.com/\n    jwksUri: https://auth.example.com/jwks.json\n    audiences: ['']\n", "mesh-stack:jwt.audiences[0]: is empty");
        yield return BadInput.Text("fault delay 0s", One + "  mesh-stack:traffic:\n    faults:\n      - {service: order, percent: 10, delay: 0s}\n", "mesh-stack:traffic.faults[0].delay: \"0s\" must be a duration such as 500ms, 5s or 2m, above zero");
        yield return BadInput.Text("the same server for two clusters", Two(westExtra: "").Replace("api.west.example.com", "api.east.example.com"), "mesh-stack:clusters[1].server: \"https://api.east.example.com:6443\" is already the server of clusters[0]");
        yield return BadInput.Text("the same context for two clusters", Two().Replace("ctx-west", "ctx-east"), "mesh-stack:clusters[1].context: \"ctx-east\" is already the context of clusters[0]");
        yield return BadInput.Text("failover [west, west]", Two(eastExtra: "      failover: [west, west]\n"), "mesh-stack:clusters[0].failover[1]: \"west\" is listed twice");
        yield return BadInput.Text("failover on Linkerd", LinkerdOne + "      failover: [dev]\n", "mesh-stack:clusters[0].failover: is for Istio only");
        yield return BadInput.Text("network on Linkerd", LinkerdOne + "      network: n1\n", "mesh-stack:clusters[0].network: is for Istio only");
        yield return BadInput.Text("export on Istio", One + "      export: gateway\n", "mesh-stack:clusters[0].export: is for Linkerd only");
        yield return BadInput.Text("gatewayAddress on Istio", One + "      gatewayAddress: gw.example.com\n", "mesh-stack:clusters[0].gatewayAddress: is for Linkerd links only");

        // silently ignored
        yield return BadInput.Text("mistyped namespace mesh-stak", One + "  mesh-stak:replicas: 2\n", "mesh-stak:replicas: unknown namespace 'mesh-stak'; did you mean mesh-stack:replicas?");
        yield return BadInput.Text("mistyped namespace Mesh-Stack", One + "  Mesh-Stack:replicas: 2\n", "Mesh-Stack:replicas: unknown namespace 'Mesh-Stack'; did you mean mesh-stack:replicas?");
        yield return BadInput.Engine("mistyped namespace in PULUMI_CONFIG", """{"mesh-stack:clusters":"[{\"name\":\"a\",\"context\":\"b\"}]","mesh-stak:replicas":"2"}""", "mesh-stak:replicas: unknown namespace 'mesh-stak'; did you mean mesh-stack:replicas?");
        yield return BadInput.Text("samplingPercent: null", One + "  mesh-stack:tracing:\n    samplingPercent: null\n", "mesh-stack:tracing.samplingPercent: is empty (null)");
        yield return BadInput.Text("samplingPercent left empty", One + "  mesh-stack:tracing:\n    samplingPercent:\n", "mesh-stack:tracing.samplingPercent: is empty (null)");
        yield return BadInput.Text("cluster name: ~", "config:\n  mesh-stack:clusters:\n    - name: ~\n      context: c\n", "mesh-stack:clusters[0].name: is empty (null)");
        yield return BadInput.Engine("null replicas in PULUMI_CONFIG", """{"mesh-stack:clusters":"[{\"name\":\"a\",\"context\":\"b\"}]","mesh-stack:replicas":null}""", "mesh-stack:replicas: is null; give a value, or remove the key");
        yield return BadInput.Text("a second YAML document", One + "---\nconfig:\n  mesh-stack:replicas: 3\n", "Pulumi.bad.yaml:6:1: a second YAML document");
        yield return BadInput.Text("!secret tag", One + "  mesh-stack:meshId: !secret abc\n", "Pulumi.bad.yaml:6:22: tag !secret is not supported");
        yield return BadInput.Text("!!binary tag", One + "  mesh-stack:meshId: !!binary aGVsbG8=\n", "Pulumi.bad.yaml:6:22: tag !!binary is not supported here");
        yield return new BadInput("invalid UTF-8", [.. Encoding.UTF8.GetBytes(One + "  mesh-stack:meshId: ab"), 0xC3, 0x28, (byte)'\n'], "Pulumi.bad.yaml:6:24: is not valid UTF-8");
        yield return new BadInput("a lone 0xFF byte", [.. Encoding.UTF8.GetBytes("config:\n  mesh-stack:mesh: "), 0xFF, (byte)'\n'], "Pulumi.bad.yaml:2:20: is not valid UTF-8");

        // messages
        yield return BadInput.Text("a YAML error reports no clusters: required", "config:\n  mesh-stack:clusters: [\n", "is not valid YAML");
        yield return BadInput.Text("tab indentation", "config:\n  mesh-stack:mesh: istio\n\tmesh-stack:replicas: 2\n", "Pulumi.bad.yaml:3:1: is not valid YAML: a tab in the indentation");
        yield return BadInput.Text("undefined alias", One + "  mesh-stack:replicas: *nope\n", "Pulumi.bad.yaml:6:24: alias *nope has no anchor &nope before it");
        yield return BadInput.Text("a file that is a list", "- config\n- x\n", "Pulumi.bad.yaml:1:1: is a list, not a mapping; a stack file is a mapping with a config: section");
        yield return BadInput.Text("a file that is a scalar", "hello\n", "Pulumi.bad.yaml:1:1: is a single value ('hello'), not a mapping");
        yield return BadInput.Text("a file without config:", "configs:\n  mesh-stack:mesh: istio\n", "Pulumi.bad.yaml: has no config: section");
        yield return BadInput.Text("an empty file", "", "Pulumi.bad.yaml: is empty; a stack file is a mapping with a config: section");
        yield return BadInput.Text("a comment-only file", "# nothing here\n", "Pulumi.bad.yaml: is empty");
        yield return BadInput.Text("config: that is a list", "config:\n  - mesh-stack:mesh\n", "Pulumi.bad.yaml:2:3: config: is a list, not a mapping");
        yield return BadInput.Text("config: that is empty", "config:\n", "config: is empty");
        yield return BadInput.Text("unknown top-level key beside config", One + "secretprovider: passphrase\n", "Pulumi.bad.yaml:6:1: unknown top-level key 'secretprovider' of a stack file; did you mean secretsprovider?");
        // a policy-pack rule is an analysis rule: its error finding exits 4 (issue 14), naming the key to fix
        yield return BadInput.Text("database image latest points at database.image", One + "  mesh-stack:database:\n    image: postgres:latest\n", "set mesh-stack:database.image to a release tag") with { ExitCode = 4 };
        yield return BadInput.Text("unknown service under traffic.services", One + "  mesh-stack:traffic:\n    services:\n      ordr:\n        loadBalancer: round-robin\n", "mesh-stack:traffic.services.ordr: \"ordr\" is not a service of the app");
        yield return BadInput.Text("a key under a scalar-only object", One + "  mesh-stack:traffic:\n    services:\n      order:\n        loadBalancer: round-robin\n        weight: 3\n", "mesh-stack:traffic.services.order.weight: unknown key;");
        yield return BadInput.Text("a duplicate key", One + "  mesh-stack:mesh: linkerd\n", "Pulumi.bad.yaml:6:3: duplicate key 'mesh-stack:mesh'");
        yield return BadInput.Text("!!int that is not a number", One + "  mesh-stack:tracing:\n    samplingPercent: !!int ten\n", "Pulumi.bad.yaml:7:22: 'ten' is not a valid !!int");

        // other
        yield return BadInput.Text("Prod (upper case) is held to the prod policy", One + "  mesh-stack:mtls: permissive\n", "prod-strict-mtls") with { Stack = "Prod", ExitCode = 4 };
        yield return BadInput.Text("a stack name with a comma", One, "stack name 'a,b' must be 1-100 letters") with { Stack = "a,b" };
        yield return BadInput.Text("a stack name with =", One, "stack name 'x=y' must be") with { Stack = "x=y" };
        yield return BadInput.Engine("a PULUMI_STACK with a comma", """{"mesh-stack:clusters":"[{\"name\":\"a\",\"context\":\"b\"}]"}""", "stack: stack name 'dev,service.name=evil' must be", stack: "dev,service.name=evil");
        yield return BadInput.Engine("a key twice inside a JSON-encoded value", """{"mesh-stack:clusters":"[{\"name\":\"a\",\"context\":\"b\",\"name\":\"c\"}]"}""", "mesh-stack:clusters: is not valid JSON: the key \"name\" is given twice in one object");
        yield return BadInput.Engine("a key twice inside a JSON value", """{"mesh-stack:clusters":[{"name":"a","context":"b","name":"c"}]}""", "PULUMI_CONFIG: is not a JSON object of strings: the key \"name\" is given twice in one object");
        yield return BadInput.Engine("PULUMI_CONFIG that is a list", "[1, 2]", "PULUMI_CONFIG: is a JSON array, not an object");
        yield return BadInput.Engine("PULUMI_CONFIG nested 100 deep", "{\"mesh-stack:x\":" + new string('[', 100) + new string(']', 100) + "}", "PULUMI_CONFIG: is not a JSON object of strings");
        yield return BadInput.Engine("structured value nested 100 deep", "{\"mesh-stack:clusters\":\"" + new string('[', 100) + new string(']', 100) + "\"}", "mesh-stack:clusters: is not valid JSON");
    }
}
