using System.Runtime.ExceptionServices;
using CrmIntegration.Application.Approvals.Callbacks;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Domain.Approvals;
using FluentValidation;
using ValidationException = CrmIntegration.Application.Common.Exceptions.ValidationException;

namespace CrmIntegration.Application.Approvals.ProcessApprovalCallbacks;

/// <summary>
/// A claimed message, read before the batch's transaction (the batch loads what its events need from them): its
/// approval event, null when it is none, or why it cannot be read, thrown again when the message's turn comes.
/// </summary>
internal sealed record ClaimedCallback(Guid Id, ApprovalEvent? Event, ExceptionDispatchInfo? Unreadable)
{
    public static ClaimedCallback Read(InboxMessage message, IWeComMessageReader reader)
    {
        try
        {
            var approval = reader.Read(message.Payload).Approval;
            return new ClaimedCallback(message.Id, approval is null ? null : approval with { ReceivedAt = message.ReceivedAt }, null);
        }
        catch (Exception e)
        {
            return new ClaimedCallback(message.Id, null, ExceptionDispatchInfo.Capture(e));
        }
    }

    /// <summary>What the command's validators refuse in the event, as a validation failure reads; null when nothing (or no event).</summary>
    public string? Invalid(IEnumerable<IValidator<HandleApprovalCallbackCommand>> validators)
    {
        var command = Event is null ? null : new HandleApprovalCallbackCommand(Event, TimelineSource.Callback);
        var failures = command is null ? [] : validators.SelectMany(v => v.Validate(command).Errors).ToList();
        return failures.Count == 0 ? null : $"{nameof(ValidationException)}: {new ValidationException(failures).Message}";
    }

    /// <summary>An exception as a message's error reads: its type and message.</summary>
    public static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
