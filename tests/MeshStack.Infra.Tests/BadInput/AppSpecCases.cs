namespace MeshStack.Tests.BadInput;

/// <summary>
/// <c>mesh-stack:app</c> declared wrong, one mistake per case on a valid base (<see cref="Base"/>), each refused at its
/// key path. The base's own names are not ecommerce's: the other keys are checked against the declared app.
/// </summary>
public static class AppSpecCases
{
    public const string Base = """
        config:
          mesh-stack:mesh: linkerd
          mesh-stack:clusters:
            - name: east
              context: ctx-east
          mesh-stack:app:
            namespace: shop
            services:
              - name: web
                public: true
                routes:
                  - {name: pages, method: GET, path: {prefix: /}}
                calls:
                  - {service: api, routes: [list-items]}
              - name: worker
                routes:
                  - {name: run, method: POST, path: {exact: /runs}}
              - name: api
                database: true
                routes:
                  - {name: list-items, method: GET, path: {exact: /items}}
                  - {name: create-item, method: POST, path: {exact: /items}}
                  - {name: release, method: POST, path: {regex: "/items/[^/]+/release"}, idempotent: true}
                calls:
                  - {service: worker, routes: [run]}

        """;

    private static BadInput Case(string name, string from, string to, string expected) =>
        BadInput.Text($"app: {name}", Edit(from, to), expected);

    /// <summary>The base with one text replaced; the text must be there, or the case would test the base.</summary>
    public static string Edit(string from, string to) =>
        Base.Contains(from, StringComparison.Ordinal) ? Base.Replace(from, to, StringComparison.Ordinal) : throw new ArgumentException($"the base has no '{from}'", nameof(from));

    private static string WithTraffic(string traffic) => Base + "  mesh-stack:traffic:\n" + traffic;

    public static IEnumerable<BadInput> All()
    {
        const string Prefix = "mesh-stack:app.";
        yield return Case("unknown service in a call", "{service: api, routes: [list-items]}", "{service: apii, routes: [list-items]}",
            Prefix + "services[0].calls[0].service: \"apii\" is not a service of the application; did you mean \"api\"?");
        yield return Case("unknown route in a call", "routes: [run]}", "routes: [run, rnu]}",
            Prefix + "services[2].calls[0].routes[1]: \"rnu\" is not a route of worker; did you mean \"run\"?");
        yield return Case("a call's routes empty", "routes: [list-items]}", "routes: []}",
            Prefix + "services[0].calls[0].routes: is empty");
        yield return Case("duplicate service names", "- name: worker", "- name: web",
            Prefix + "services[1].name: service 'web' is declared 2 times; service names are unique");
        yield return Case("duplicate route names", "{name: create-item,", "{name: list-items,",
            Prefix + "services[2].routes[1].name: service 'api' declares route 'list-items' 2 times");
        yield return Case("a call to itself", "          - {service: api, routes: [list-items]}\n", "          - {service: api, routes: [list-items]}\n          - {service: web, routes: [pages]}\n",
            Prefix + "services[0].calls[1].service: service 'web' calls its own route 'pages'");
        yield return Case("a public service without routes", "      - name: api\n", "      - name: admin\n        public: true\n      - name: api\n",
            Prefix + "services[2].public: service 'admin' is public but declares no routes");
        yield return Case("a bad service name", "- name: worker", "- name: Worker_1",
            Prefix + "services[1].name: service 'Worker_1': names are [a-z0-9-]+");
        yield return Case("a bad route name", "{name: run,", "{name: run_now,",
            Prefix + "services[1].routes[0].name: route 'worker/run_now': names are [a-z0-9-]+");
        yield return Case("a path without a leading slash", "{exact: /runs}", "{exact: runs}",
            Prefix + "services[1].routes[0].path.exact: route 'worker/run': path 'runs' does not start with '/'");
        yield return Case("a regex that does not compile", "\"/items/[^/]+/release\"", "\"/items/[/release\"",
            Prefix + "services[2].routes[2].path.regex: route 'api/release': '/items/[/release' is not a regular expression");
        yield return BadInput.Text("app: a regex Istio cannot enforce", Edit("\"/items/[^/]+/release\"", "\"/items/[0-9]+/release\"").Replace("mesh-stack:mesh: linkerd", "mesh-stack:mesh: istio", StringComparison.Ordinal),
            Prefix + "services[2].routes[2].path.regex: route path regex '/items/[0-9]+/release' cannot be expressed in an Istio AuthorizationPolicy");
        yield return Case("a path of two kinds", "{exact: /runs}", "{exact: /runs, prefix: /runs}",
            Prefix + "services[1].routes[0].path: gives exact and prefix: give exactly one of exact, prefix, regex");
        yield return Case("a path of no kind", "{exact: /runs}", "{}",
            Prefix + "services[1].routes[0].path: is empty: give one of exact, prefix, regex");
        yield return Case("a route without a path", ", path: {exact: /runs}}", "}",
            Prefix + "services[1].routes[0].path: required");
        yield return Case("a non-boolean public", "public: true", "public: sometimes",
            Prefix + "services[0].public: must be true or false, not \"sometimes\"");
        yield return Case("a non-boolean idempotent", "idempotent: true", "idempotent: twice",
            Prefix + "services[2].routes[2].idempotent: must be true or false, not \"twice\"");
        yield return Case("an unknown method", "method: POST, path: {exact: /runs}", "method: PSOT, path: {exact: /runs}",
            Prefix + "services[1].routes[0].method: \"PSOT\" is not one of GET, HEAD, POST, PUT, PATCH, DELETE (did you mean \"POST\"?)");
        yield return Case("a route without a method", "{name: run, method: POST,", "{name: run,",
            Prefix + "services[1].routes[0].method: required");
        yield return Case("a bad timeout", "path: {exact: /runs}}", "path: {exact: /runs}, timeout: soon}",
            Prefix + "services[1].routes[0].timeout: \"soon\" must be a duration such as 500ms, 5s or 2m, above zero");
        yield return Case("an unknown service key", "database: true", "databse: true",
            Prefix + "services[2].databse: unknown key; did you mean mesh-stack:app.services[2].database?");
        yield return Case("an unknown call key", "{service: api, routes: [list-items]}", "{service: api, route: [list-items]}",
            Prefix + "services[0].calls[0].route: unknown key; did you mean mesh-stack:app.services[0].calls[0].routes?");
        yield return Case("an unknown app key", "namespace: shop", "namespce: shop",
            Prefix + "namespce: unknown key; did you mean mesh-stack:app.namespace?");
        yield return Case("a namespace that is not a DNS label", "namespace: shop", "namespace: Shop",
            Prefix + "namespace: namespace 'Shop' is not a DNS label");
        yield return Case("a port out of range", "      - name: worker\n", "      - name: worker\n        port: 70000\n",
            Prefix + "services[1].port: service 'worker': port 70000 is not a TCP port (1-65535)");
        yield return Case("running as root", "      - name: worker\n", "      - name: worker\n        runAsUser: 0\n",
            Prefix + "services[1].runAsUser: 0 must be between 1 and 2147483647");
        yield return Case("an image with a space", "      - name: worker\n", "      - name: worker\n        image: 'my image:1'\n",
            Prefix + "services[1].image: \"my image:1\" is not an image reference");
        yield return BadInput.Text("app: two public services checking tokens", Edit("        public: true\n", "        public: true\n        validatesTokens: true\n")
                .Replace("      - name: worker\n", "      - name: worker\n        public: true\n        validatesTokens: true\n", StringComparison.Ordinal),
            Prefix + "services[1].validatesTokens: public services web, worker all validate end-user tokens");
        yield return BadInput.Text("app: an empty services list", "config:\n  mesh-stack:clusters:\n    - {name: east, context: ctx-east}\n  mesh-stack:app:\n    services: []\n",
            Prefix + "services: no services: declare at least one");
        yield return BadInput.Text("app: without services", "config:\n  mesh-stack:clusters:\n    - {name: east, context: ctx-east}\n  mesh-stack:app:\n    namespace: shop\n",
            Prefix + "services: required");
        yield return BadInput.Text("app: a list instead of an object", "config:\n  mesh-stack:clusters:\n    - {name: east, context: ctx-east}\n  mesh-stack:app: [web]\n",
            "mesh-stack:app: must be an object, not a list");

        // every other key names the declared app's services and routes, not the host's
        yield return BadInput.Text("app: a canary on an unknown service", WithTraffic("    canary: {service: order, weight: 10}\n"),
            "mesh-stack:traffic.canary.service: \"order\" is not a service of the app (web, worker, api)");
        yield return BadInput.Text("app: an edge host for an unknown service", WithTraffic("    edge:\n      - {host: shop.example.com, service: frontend}\n"),
            "mesh-stack:traffic.edge[0].service: \"frontend\" is not a service of the app (web, worker, api)");
        yield return BadInput.Text("app: an edge host for an internal service", WithTraffic("    edge:\n      - {host: shop.example.com, service: api}\n"),
            "mesh-stack:traffic.edge[0].service: api is internal to the app; the edge routes only to its public services (web)");
        yield return BadInput.Text("app: a fault on an unknown route", WithTraffic("    faults:\n      - {service: api, route: list-item, percent: 10, abortStatus: 503}\n"),
            "mesh-stack:traffic.faults[0].route: \"list-item\" is not a route of api (list-items, create-item, release)");
        yield return BadInput.Text("app: a fault on an unknown service", WithTraffic("    faults:\n      - {service: ap, percent: 10, abortStatus: 503}\n"),
            "mesh-stack:traffic.faults[0].service: \"ap\" is not a service of the app (web, worker, api); did you mean \"api\"?");
        yield return BadInput.Text("app: a route override on an unknown route", WithTraffic("    routes:\n      api/list-item: {timeout: 2s}\n"),
            "mesh-stack:traffic.routes.api/list-item: no route \"api/list-item\"; keys are service/route (did you mean api/list-items?)");
        yield return BadInput.Text("app: load balancing for an unknown service", WithTraffic("    services:\n      wrker: {loadBalancer: round-robin}\n"),
            "mesh-stack:traffic.services.wrker: \"wrker\" is not a service of the app (web, worker, api); did you mean \"worker\"?");
        yield return BadInput.Text("app: a cluster running an unknown service", Edit("      context: ctx-east\n", "      context: ctx-east\n      services: [web, worker, api, order]\n"),
            "mesh-stack:clusters[0].services[3]: \"order\" is not a service of the application");

        // the engine's form: a structured value arrives as JSON text
        yield return BadInput.Engine("app: a non-boolean public in PULUMI_CONFIG",
            """{"mesh-stack:clusters":"[{\"name\":\"a\",\"context\":\"b\"}]","mesh-stack:app":"{\"services\":[{\"name\":\"web\",\"public\":\"maybe\",\"routes\":[{\"name\":\"pages\",\"method\":\"GET\",\"path\":{\"prefix\":\"/\"}}]}]}"}""",
            "mesh-stack:app.services[0].public: must be true or false, not \"maybe\"");
    }
}
