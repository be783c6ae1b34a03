namespace CrmIntegration.Application.Approvals.QuoteEvents;

/// <summary>
/// Short-lived tickets that open the quote event stream where a client cannot send a bearer token (a browser's
/// EventSource). A ticket is good for that stream only, for any instance, until it expires.
/// </summary>
public interface IStreamTickets
{
    Task<StreamTicketDto> IssueAsync(string subject, CancellationToken cancellationToken);

    Task<bool> IsValidAsync(string? ticket, CancellationToken cancellationToken);
}

public sealed record StreamTicketDto(string Ticket, DateTimeOffset ExpiresAt);
