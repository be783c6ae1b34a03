using System.Runtime.CompilerServices;
using CrmIntegration.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.QuoteEvents;

/// <summary>
/// The events one client receives: those after <c>lastEventId</c> from the store (a reconnecting client misses
/// nothing), then live ones from <see cref="IQuoteEventFeed"/>, each once and in order, optionally for one quote.
/// Without <c>lastEventId</c> the stream starts with the next change.
/// </summary>
public sealed class QuoteEventStream(IAppDbContext db, IQuoteEventFeed feed)
{
    private const int ReplayPage = 500;

    public async IAsyncEnumerable<QuoteStatusEventDto> ReadAsync(long? lastEventId, Guid? quoteId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe(); // first: nothing committed from now on can fall between replay and live
        var events = db.QuoteStatusEvents.AsNoTracking();
        var last = lastEventId ?? await events.MaxAsync(e => (long?)e.Seq, cancellationToken) ?? 0;
        while (true)
        {
            var page = await events.Where(e => e.Seq > last && (quoteId == null || e.QuoteId == quoteId))
                .OrderBy(e => e.Seq).Take(ReplayPage).ToListAsync(cancellationToken);
            foreach (var e in page)
            {
                last = e.Seq;
                yield return QuoteStatusEventDto.From(e);
            }

            if (page.Count < ReplayPage)
            {
                break;
            }
        }

        await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken))
        {
            if (e.Seq > last && (quoteId is null || e.QuoteId == quoteId))
            {
                last = e.Seq;
                yield return e;
            }
        }
    }
}
