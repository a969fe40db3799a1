using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshStack.ServiceDefaults;

/// <summary>
/// Collects validation messages per field and answers them as a 400 ValidationProblem. At most
/// <see cref="MaxFields"/> fields are listed (the detail counts the rest), so a hostile body cannot make the answer
/// larger than the request.
/// </summary>
public sealed class FieldErrors
{
    public const int MaxFields = 20;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private int _omitted;

    public bool IsEmpty => _errors.Count == 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            if (_errors.Count >= MaxFields)
            {
                _omitted++;
                return this;
            }

            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    public ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(ToDictionary(), title: "The request is invalid.",
            detail: _omitted > 0 ? $"{_omitted} more errors are not listed." : null);
}
