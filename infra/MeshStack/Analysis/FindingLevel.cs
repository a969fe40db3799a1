namespace MeshStack.Analysis;

/// <summary>How bad a finding is: an error fails check, render and program (exit 4); the others are reported.</summary>
public enum FindingLevel
{
    Error,
    Warning,
    Info,
}
