using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Persistence;
using CrmIntegration.Domain.Approvals;
using MapsterMapper;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.CreateQuote;

public sealed record CreateQuoteCommand(string Title, string CustomerName, decimal Amount, string Currency) : IRequest<QuoteDto>;

internal sealed class CreateQuoteCommandHandler(
    IAppDbContext db,
    IDatabaseErrors errors,
    IOptions<QuotesOptions> options,
    IMapper mapper,
    TimeProvider clock) : IRequestHandler<CreateQuoteCommand, QuoteDto>
{
    // Numbers are max+1 of the day, read and inserted in one transaction (on SQLite an IMMEDIATE one, so writers
    // queue and never collide); the unique index on quotes.number settles what still races (SQL Server, several
    // instances): the loser takes the next number. A transient failure reruns the whole transaction (ADR-26).
    private const int MaxAttempts = 10;

    public async Task<QuoteDto> Handle(CreateQuoteCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stem = QuoteNumber.DayStem(options.Value.NumberPrefix, DateOnly.FromDateTime(now.ToOffset(options.Value.NumberUtcOffset).DateTime));
        for (var attempt = 1; ; attempt++)
        {
            Quote? quote = null;
            try
            {
                return await db.InTransactionAsync(
                    async ct =>
                    {
                        var sequence = QuoteNumber.SequenceOf(await LastNumberAsync(stem, ct) ?? "", stem) + 1;
                        quote = Quote.Create(stem + sequence.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
                            command.Title, command.CustomerName, command.Amount, command.Currency, now);
                        db.Quotes.Add(quote);
                        await db.SaveChangesAsync(ct);
                        return mapper.Map<QuoteDto>(quote);
                    },
                    ct => db.Quotes.AnyAsync(q => q.Id == quote!.Id, ct),
                    cancellationToken);
            }
            catch (DbUpdateException e) when (errors.IsUniqueViolation(e))
            {
                if (attempt == MaxAttempts)
                {
                    throw new ConflictException("Could not allocate a quote number; try again.", e);
                }
            }
        }
    }

    // Longest first: after 9999 a day the numbers grow a digit and no longer sort as text.
    private Task<string?> LastNumberAsync(string stem, CancellationToken ct) =>
        db.Quotes.AsNoTracking()
            .Where(q => q.Number.StartsWith(stem))
            .OrderByDescending(q => q.Number.Length).ThenByDescending(q => q.Number)
            .Select(q => q.Number)
            .FirstOrDefaultAsync(ct);
}
