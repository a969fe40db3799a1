namespace MeshStack.Traffic;

/// <summary>An exact request header match, e.g. <c>x-canary-user: internal</c>.</summary>
public sealed record HeaderMatch(string Name, string Value);
