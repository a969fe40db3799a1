namespace MeshStack.Analysis.Formats;

/// <summary><c>&lt;level&gt; &lt;RULE-ID&gt; &lt;cluster&gt;/&lt;Kind&gt;/&lt;namespace&gt;/&lt;name&gt;: &lt;what&gt; (fix: &lt;how&gt;)</c>, one finding per line.</summary>
public static class TextFormat
{
    public static string Write(AnalysisReport report) => string.Concat(report.Findings.Select(f => f + "\n"));
}
