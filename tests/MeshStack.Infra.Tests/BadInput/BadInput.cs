using System.Text;

namespace MeshStack.Tests.BadInput;

/// <summary>
/// One hostile input: a stack file's bytes for <c>render --config</c>, or (with <see cref="EngineConfig"/>) the
/// engine's PULUMI_CONFIG for <c>program</c>. <see cref="Expected"/> is text the message must contain: the key path or
/// file:line:column and what to do.
/// </summary>
public sealed record BadInput(string Name, byte[] File, string Expected, int ExitCode = 2, string? EngineConfig = null, string Stack = "bad")
{
    public static BadInput Text(string name, string yaml, string expected, int exitCode = 2) => new(name, Encoding.UTF8.GetBytes(yaml), expected, exitCode);

    public static BadInput Engine(string name, string pulumiConfig, string expected, string stack = "bad") => new(name, [], expected, 2, pulumiConfig, stack);

    public override string ToString() => Name;
}
