using CrmIntegration.Domain.Customers;
using System.Text.Json.Serialization;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Customers.NotifyEmployee;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>The checklist's last step on demand: one test notification to a chosen employee, and what WeChat said.</summary>
public sealed record SendTestNotificationCommand(Guid EmployeeId) : IRequest<TestNotificationResult>;

/// <summary>The outcome: ok with WeChat's msgid, or failed with WeChat's errcode and what to fix.</summary>
public sealed record TestNotificationResult(
    string Name,
    IntegrationCheckStatus Status,
    [property: JsonPropertyName("errcode")] int? ErrCode,
    [property: JsonPropertyName("msgid")] string? MsgId,
    string Detail,
    string? Hint);

internal sealed class SendTestNotificationCommandValidator : AbstractValidator<SendTestNotificationCommand>
{
    public SendTestNotificationCommandValidator() => RuleFor(c => c.EmployeeId).NotEmpty();
}

internal sealed class SendTestNotificationCommandHandler(
    IAppDbContext db,
    ITestNotificationSender sender,
    IOptions<MiniProgramOptions> miniProgram,
    IOptions<IntegrationCheckOptions> options,
    ILogger<SendTestNotificationCommandHandler> logger) : IRequestHandler<SendTestNotificationCommand, TestNotificationResult>
{
    private const string Name = "test-notification";

    public async Task<TestNotificationResult> Handle(SendTestNotificationCommand command, CancellationToken cancellationToken)
    {
        var employee = await db.Employees.AsNoTracking().SingleOrDefaultAsync(e => e.Id == command.EmployeeId, cancellationToken)
                       ?? throw new NotFoundException("Employee", command.EmployeeId);
        var result = await SendAsync(employee.Name, employee.MiniProgramOpenId, cancellationToken);
        logger.Log(result.Status is IntegrationCheckStatus.Ok or IntegrationCheckStatus.Skipped ? LogLevel.Information : LogLevel.Warning,
            "Test notification to employee {EmployeeId}: {Status} (errcode {ErrCode}, msgid {MsgId})", employee.Id, result.Status, result.ErrCode, result.MsgId);
        return result;
    }

    private async Task<TestNotificationResult> SendAsync(string employee, string? openId, CancellationToken cancellationToken)
    {
        if (!miniProgram.Value.Configured)
        {
            return new(Name, IntegrationCheckStatus.Skipped, null, null, "The mini-program is not configured: nothing was sent.",
                "Set MiniProgram:AppId, MiniProgram:AppSecret and MiniProgram:TemplateId (and MiniProgram:CloudEnv for the cloud function).");
        }

        if (string.IsNullOrEmpty(openId))
        {
            return new(Name, IntegrationCheckStatus.Failed, null, null, $"{employee} has no mini-program openid: nothing was sent.",
                "The employee opens the mini-program once; set the openid it reports with PUT /api/employees/{id}/openid.");
        }

        var timeout = options.Value.Timeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        SendResult sent;
        try
        {
            sent = await sender.SendAsync(openId, cts.Token).WaitAsync(timeout, TimeProvider.System, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is TimeoutException or OperationCanceledException)
        {
            return new(Name, IntegrationCheckStatus.Failed, null, null, $"No answer from WeChat within {timeout.TotalSeconds:0} s.",
                "Check outbound HTTPS to WeChat (MiniProgram:ApiBaseUrl) and try again.");
        }

        return sent.Outcome switch
        {
            SendOutcome.Sent => new(Name, IntegrationCheckStatus.Ok, 0, sent.MsgId, $"Sent to {employee} ({openId}).", null),
            SendOutcome.Unconfirmed => new(Name, IntegrationCheckStatus.Warning, sent.ErrorCode, null,
                $"The cloud function ran but did not say whether the message reached {employee}: {sent.Error}",
                "Ask the employee whether it arrived, and read the cloud function's logs in the cloud console."),
            _ when sent.ErrorCode is { } code => new(Name, IntegrationCheckStatus.Failed, code, null,
                $"WeChat refused the message to {employee} ({openId}): errcode {code}. {sent.Error}".TrimEnd(), PartnerHints.WeChat(code)),
            _ => new(Name, IntegrationCheckStatus.Failed, null, null, $"WeChat did not answer: {sent.Error}",
                "Check outbound HTTPS to WeChat (MiniProgram:ApiBaseUrl) and the mini-program token (GET /api/admin/integration-check)."),
        };
    }
}
