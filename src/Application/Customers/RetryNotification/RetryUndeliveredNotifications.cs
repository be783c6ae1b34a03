using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Domain.Customers;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.RetryNotification;

/// <summary>
/// An admin queues every notification of one undelivered status again (e.g. all dead after an outage, or all
/// unconfirmed once checked with the employees); at most <see cref="MaxPerCall"/> per call. Answers how many.
/// </summary>
public sealed record RetryUndeliveredNotificationsCommand(string? Status) : IRequest<int>
{
    public const int MaxPerCall = 1000;
}

internal sealed class RetryUndeliveredNotificationsCommandValidator : AbstractValidator<RetryUndeliveredNotificationsCommand>
{
    private static readonly NotificationStatus[] _retryable =
        [.. Enum.GetValues<NotificationStatus>().Where(s => s is not (NotificationStatus.Pending or NotificationStatus.Sent))];

    public RetryUndeliveredNotificationsCommandValidator()
    {
        RuleFor(c => c.Status)
            .Must(s => SnakeCaseEnum.TryParse<NotificationStatus>(s, out var status) && _retryable.Contains(status))
            .WithMessage($"'Status' must be one of: {string.Join(", ", _retryable.Select(SnakeCaseEnum.Name))}.");
    }
}

internal sealed class RetryUndeliveredNotificationsCommandHandler(IAppDbContext db, IWorkSignals signals, TimeProvider clock)
    : IRequestHandler<RetryUndeliveredNotificationsCommand, int>
{
    public async Task<int> Handle(RetryUndeliveredNotificationsCommand command, CancellationToken cancellationToken)
    {
        var status = SnakeCaseEnum.Parse<NotificationStatus>(command.Status!);
        var undelivered = await db.Notifications.Where(n => n.Status == status).OrderBy(n => n.CreatedAt)
            .Take(RetryUndeliveredNotificationsCommand.MaxPerCall).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        undelivered.ForEach(n => n.Requeue(now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new Common.Exceptions.ConflictException("Some of these notifications changed meanwhile (retried by another request); try again.", e);
        }

        signals.Notify(WorkKind.EmployeeNotifications);
        return undelivered.Count;
    }
}
