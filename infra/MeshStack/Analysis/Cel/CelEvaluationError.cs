namespace MeshStack.Analysis.Cel;

/// <summary>
/// An error a Kubernetes CEL library function returns at run time (e.g. <c>url()</c> of a string that is no URL). The API
/// server rejects the object with "&lt;error&gt; evaluating rule" (apiextensions-apiserver
/// pkg/apiserver/schema/cel/validation.go 436-450, v0.35.0), so such a rule counts as failed, not as not evaluated.
/// </summary>
public sealed class CelEvaluationError(string message) : Exception(message);
