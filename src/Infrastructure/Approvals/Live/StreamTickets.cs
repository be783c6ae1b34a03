using System.Security.Cryptography;
using System.Text;
using CrmIntegration.Application.Approvals.QuoteEvents;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Persistence.Streams;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Infrastructure.Approvals.Live;

/// <summary>
/// Random 256-bit tickets; the store keeps only their SHA-256, the subject and the expiry, so a ticket works on any
/// instance and a database read does not reveal one. Expired rows are removed as new tickets are issued.
/// </summary>
internal sealed class StreamTickets(AppDbContext db, TimeProvider clock, IOptions<LiveUpdatesOptions> options) : IStreamTickets
{
    public async Task<StreamTicketDto> IssueAsync(string subject, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ticket = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now + options.Value.TicketLifetime;
        await db.StreamTickets.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.StreamTickets.Add(StreamTicket.Issue(Hash(ticket), subject, expiresAt));
        await db.SaveChangesAsync(cancellationToken);
        return new StreamTicketDto(ticket, expiresAt);
    }

    public async Task<bool> IsValidAsync(string? ticket, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 100)
        {
            return false;
        }

        var hash = Hash(ticket);
        var now = clock.GetUtcNow();
        return await db.StreamTickets.AsNoTracking().AnyAsync(t => t.Hash == hash && t.ExpiresAt > now, cancellationToken);
    }

    private static string Hash(string ticket) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ticket)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
