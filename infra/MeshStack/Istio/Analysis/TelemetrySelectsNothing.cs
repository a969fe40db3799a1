using MeshStack.Analysis;
using MeshStack.Analysis.Rules.Authorization;

namespace MeshStack.Istio.Analysis;

/// <summary>An Istio Telemetry whose selector matches no pod configures nothing.</summary>
public sealed class TelemetrySelectsNothing : SelectorMatchesNothing
{
    public override string Id => "MS401";
    protected override string Group => "telemetry.istio.io";
    protected override string Kind => "Telemetry";
}
