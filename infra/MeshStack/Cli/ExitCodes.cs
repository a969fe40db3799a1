namespace MeshStack.Cli;

/// <summary>The exit-code contract (DESIGN §4).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidConfig = 2;

    /// <summary><c>check</c>, <c>render</c> or <c>program</c> found an error in what the stack renders.</summary>
    public const int Findings = 4;
}
