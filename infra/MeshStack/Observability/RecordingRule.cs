namespace MeshStack.Observability;

/// <summary>A Prometheus recording rule: the series <see cref="Record"/> holds the value of <see cref="Expr"/>.</summary>
public sealed record RecordingRule(string Record, string Expr);
