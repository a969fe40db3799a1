using System.Text.RegularExpressions;
using MeshStack.Config;

namespace MeshStack.Database;

/// <summary>The PostgreSQL instance each cluster runs for the services that keep state.</summary>
public sealed record DatabaseConfig(string Image, string StorageSize, string? StorageClass)
{
    public static DatabaseConfig Bind(ConfigObject o)
    {
        var image = o.RequiredString("image", "the PostgreSQL image, e.g. postgres:17.6", ImageReference, "an image reference with a tag");
        var size = o.RequiredString("storageSize", "the volume size, e.g. 10Gi", Quantity, "a Kubernetes quantity such as 10Gi");
        if (size.Length > 0 && double.Parse(size.TrimEnd('K', 'M', 'G', 'T', 'i'), System.Globalization.CultureInfo.InvariantCulture) <= 0)
            o.Problem("storageSize", $"\"{size}\" is no space at all; give a size above zero, e.g. 10Gi");
        // a StorageClass is named like any Kubernetes object: a DNS subdomain
        var storageClass = o.OptionalString("storageClass", StorageClassName, "a StorageClass name: lower-case letters, digits, '-' and '.' (kubectl get storageclass)");
        o.RejectUnknown();
        return new DatabaseConfig(image, size, storageClass);
    }

    private static readonly Regex ImageReference = new(@"^[a-z0-9][a-z0-9._/:-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.Compiled);
    private static readonly Regex StorageClassName = new(@"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.Compiled);
    private static readonly Regex Quantity = new(@"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$", RegexOptions.Compiled);
}
