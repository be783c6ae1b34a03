using FluentValidation.Results;

namespace CrmIntegration.Application.Common.Exceptions;

/// <summary>Bad input: answered 400 with the field errors.</summary>
public sealed class ValidationException : Exception
{
    public ValidationException(IEnumerable<ValidationFailure> failures)
        : base("One or more validation errors occurred.")
    {
        Errors = failures
            .GroupBy(f => f.PropertyName, f => f.ErrorMessage)
            .ToDictionary(g => g.Key, g => g.Distinct().ToArray());
    }

    public ValidationException(string field, string error)
        : base("One or more validation errors occurred.")
    {
        Errors = new Dictionary<string, string[]> { [field] = [error] };
    }

    public IDictionary<string, string[]> Errors { get; }
}
