using k8s.Models;
using MeshStack.Database;
using MeshStack.Graph;
using MeshStack.Tests.Support;

namespace MeshStack.Tests;

/// <summary>The PostgreSQL part of the graph: storage, a TCP Service, and credentials that stay secret end to end.</summary>
public class DatabaseGraphTests
{
    [Theory]
    [MemberData(nameof(Stacks.StacksAndMeshes), MemberType = typeof(Stacks))]
    public void Every_cluster_runs_postgres_with_a_volume_and_an_opaque_tcp_service(string stack, string mesh)
    {
        var graph = Stacks.Graph(stack, mesh);
        var config = Stacks.Config(stack);
        foreach (var cluster in config.Clusters.Select(c => c.Name))
        {
            var sts = graph[$"{cluster}-postgres-statefulset"].As<V1StatefulSet>();
            var claim = Assert.Single(sts.Spec.VolumeClaimTemplates);
            Assert.Equal(config.Database.StorageSize, claim.Spec.Resources.Requests["storage"].ToString());
            Assert.Contains(sts.Spec.Template.Spec.Containers[0].VolumeMounts, m => m.Name == claim.Metadata.Name);
            Assert.Equal("postgres", sts.Spec.ServiceName);

            var service = graph[$"{cluster}-postgres-service"].As<V1Service>();
            var port = Assert.Single(service.Spec.Ports);
            Assert.StartsWith("tcp-", port.Name); // Istio: protocol from the port name
            // Linkerd: the port is opaque on the Service (callers' proxies) and on the pods (the inbound proxy); Istio reads
            // the port's name and appProtocol, and gets no other mesh's annotations
            var podAnnotations = sts.Spec.Template.Metadata.Annotations;
            if (mesh == "linkerd")
            {
                Assert.Equal("5432", service.Metadata.Annotations["config.linkerd.io/opaque-ports"]);
                Assert.Equal("5432", podAnnotations["config.linkerd.io/opaque-ports"]);
            }
            else
            {
                Assert.DoesNotContain(service.Metadata.Annotations ?? new Dictionary<string, string>(), a => a.Key.Contains("linkerd.io", StringComparison.Ordinal));
                Assert.DoesNotContain(podAnnotations ?? new Dictionary<string, string>(), a => a.Key.Contains("linkerd.io", StringComparison.Ordinal));
            }
            Assert.Contains(graph[$"{cluster}-postgres-credentials"], graph[$"{cluster}-postgres-statefulset"].Options.DependsOn);
        }
    }

    [Fact]
    public void The_password_comes_from_the_random_provider_and_reaches_workloads_only_by_secret_reference()
    {
        var graph = Stacks.Graph("prod");
        foreach (var cluster in new[] { "east", "west" })
        {
            var password = graph[$"{cluster}-postgres-password"];
            Assert.Equal(TypeTokens.RandomPassword, password.Type);
            var secret = graph[$"{cluster}-postgres-credentials"].As<V1Secret>();
            Assert.Equal($"${{{cluster}-postgres-password.result}}", Expr.ToPulumiYaml(secret.StringData["password"]));

            foreach (var name in new[] { "order", "inventory", "payment", "api-gateway", "frontend" })
            {
                var env = graph[$"{cluster}-{name}-deployment"].As<V1Deployment>().Spec.Template.Spec.Containers[0].Env;
                var pgPassword = env.SingleOrDefault(e => e.Name == "PGPASSWORD");
                if (name is "api-gateway" or "frontend")
                {
                    Assert.Null(pgPassword); // least privilege: they keep no state
                    continue;
                }
                Assert.NotNull(pgPassword);
                Assert.Null(pgPassword!.Value);
                Assert.Equal((PostgresComponent.SecretName, "password"), (pgPassword.ValueFrom.SecretKeyRef.Name, pgPassword.ValueFrom.SecretKeyRef.Key));
                Assert.Equal("postgres.ecommerce.svc.cluster.local", env.Single(e => e.Name == "PGHOST").Value);
            }
        }
        var program = Stacks.Emit("prod").ProgramYaml;
        Assert.Contains("password: \"${east-postgres-password.result}\"", program);
    }

    [Fact]
    public void A_bad_storage_size_is_rejected_with_its_key_path()
    {
        var e = Assert.Throws<MeshStack.Config.ConfigException>(() => Stacks.ConfigFromYaml("""
            config:
              mesh-stack:clusters:
                - name: a
                  context: b
              mesh-stack:database:
                image: postgres:17.6
                storageSize: lots
            """));
        Assert.Equal("mesh-stack:database.storageSize", Assert.Single(e.Problems).Path);
    }
}
