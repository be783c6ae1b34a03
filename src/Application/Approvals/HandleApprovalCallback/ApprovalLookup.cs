using System.Linq.Expressions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Approvals.HandleApprovalCallback;

/// <summary>
/// What <see cref="ApprovalEventApplier"/> reads for an event: whether its key is in the timeline, and its approval
/// with the quote as the root. A query each by default. A batch of events (ProcessApprovalCallbacks) is read up front
/// with <see cref="LoadAsync"/>, three queries for the whole batch, and its events are then answered from what was
/// loaded, which the batch's earlier events have changed just as their saves changed the database in the transaction.
/// A quote is attached to the context when an event needs it (the batch lets go of each event's entities after its
/// save, so a save does not scan the whole batch). An event outside the loaded batch is queried as before.
/// <see cref="Forget"/> after a failed save: what was loaded may hold changes the database does not.
/// </summary>
internal sealed class ApprovalLookup(IAppDbContext db)
{
    private Loaded? _loaded;

    /// <summary>False until <see cref="LoadAsync"/>, and again after <see cref="Forget"/>.</summary>
    public bool IsLoaded => _loaded is not null;

    /// <summary>
    /// Reads what the events need: the keys already recorded, and the quotes their ThirdNo or SpNo lead to, each with
    /// its open approvals and those the events may name (every approval found by ThirdNo or SpNo).
    /// </summary>
    public async Task LoadAsync(IReadOnlyCollection<ApprovalEvent> events, CancellationToken ct)
    {
        var keys = events.Select(e => e.Key).Distinct().ToList();
        var thirdNos = events.Select(e => e.ThirdNo).OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        var spNos = events.Select(e => e.SpNo).OfType<string>().Where(n => n.Length > 0).Distinct().ToList();
        var recorded = await db.Timeline.Where(t => keys.Contains(t.EventKey)).Select(t => t.EventKey).ToListAsync(ct);
        var quoteIds = await db.ApprovalInstances.Where(a => thirdNos.Contains(a.ThirdNo) || spNos.Contains(a.SpNo!))
            .Select(a => a.QuoteId).Distinct().ToListAsync(ct);
        var quotes = await db.Quotes.AsNoTracking()
            .Include(q => q.Approvals.Where(a => a.IsOpen || thirdNos.Contains(a.ThirdNo) || spNos.Contains(a.SpNo!)))
            .Where(q => quoteIds.Contains(q.Id) || thirdNos.Contains(q.Number))
            .ToListAsync(ct);
        _loaded = new Loaded([.. keys], [.. thirdNos], [.. spNos], [.. recorded], quotes);
    }

    public void Forget() => _loaded = null;

    public async Task<bool> IsRecordedAsync(string key, CancellationToken ct) =>
        _loaded is { } loaded && loaded.Keys.Contains(key)
            ? loaded.Recorded.Contains(key)
            : await db.Timeline.AnyAsync(t => t.EventKey == key, ct);

    /// <summary>A key saved since the batch was loaded.</summary>
    public void Recorded(string key) => _loaded?.Recorded.Add(key);

    /// <summary>
    /// The event's approval, by ThirdNo first (the quote number; the open one, else the latest), then SpNo, with its
    /// quote as the root: loaded with its open approvals and this one, so the quote decides what may change.
    /// </summary>
    public async Task<(Quote? Quote, ApprovalInstance? Approval)> FindAsync(ApprovalEvent e, CancellationToken ct)
    {
        if (_loaded is { } loaded && loaded.Covers(e.ThirdNo, e.SpNo))
        {
            var (root, approval) = loaded.Find(e.ThirdNo, e.SpNo);
            return (Attached(root), approval);
        }

        var found = string.IsNullOrEmpty(e.ThirdNo)
            ? null
            : await db.ApprovalInstances.AsNoTracking().Where(a => a.ThirdNo == e.ThirdNo)
                .OrderByDescending(a => a.IsOpen).ThenByDescending(a => a.SubmittedAt)
                .Select(a => new { a.Id, a.QuoteId }).FirstOrDefaultAsync(ct);
        if (found is null && !string.IsNullOrEmpty(e.SpNo))
        {
            found = await db.ApprovalInstances.AsNoTracking().Where(a => a.SpNo == e.SpNo)
                .Select(a => new { a.Id, a.QuoteId }).SingleOrDefaultAsync(ct);
        }

        if (found is null)
        {
            return (null, null);
        }

        var quote = await LoadQuoteAsync(q => q.Id == found.QuoteId, found.Id, ct);
        return (quote, quote?.Approvals.Single(a => a.Id == found.Id));
    }

    /// <summary>The quote numbered <paramref name="number"/>, with its open approvals.</summary>
    public async Task<Quote?> FindQuoteAsync(string number, CancellationToken ct) =>
        _loaded is { } loaded && loaded.Covers(number, null)
            ? Attached(loaded.Quotes.SingleOrDefault(q => q.Number == number))
            : await LoadQuoteAsync(q => q.Number == number, null, ct);

    /// <summary>The loaded quote, tracked (unchanged: it holds what the database holds) with its approvals.</summary>
    private Quote? Attached(Quote? quote)
    {
        if (quote is not null && db.ChangeTracker.Context.Entry(quote).State == EntityState.Detached)
        {
            db.Quotes.Attach(quote);
        }

        return quote;
    }

    private Task<Quote?> LoadQuoteAsync(Expression<Func<Quote, bool>> which, Guid? approvalId, CancellationToken ct) =>
        db.Quotes.Include(q => q.Approvals.Where(a => a.IsOpen || a.Id == approvalId)).SingleOrDefaultAsync(which, ct);

    /// <summary>
    /// A batch's reads. Every approval with a loaded ThirdNo or SpNo is in its quote's collection, and so is every
    /// approval the batch started since: the queries' answers are found by walking the quotes.
    /// </summary>
    private sealed record Loaded(
        HashSet<string> Keys, HashSet<string> ThirdNos, HashSet<string> SpNos, HashSet<string> Recorded, List<Quote> Quotes)
    {
        public bool Covers(string? thirdNo, string? spNo) =>
            (string.IsNullOrEmpty(thirdNo) || ThirdNos.Contains(thirdNo)) && (string.IsNullOrEmpty(spNo) || SpNos.Contains(spNo));

        public (Quote? Quote, ApprovalInstance? Approval) Find(string? thirdNo, string? spNo)
        {
            var approvals = Quotes.SelectMany(q => q.Approvals, (q, a) => (Quote: q, Approval: a)).ToList();
            var found = string.IsNullOrEmpty(thirdNo)
                ? default
                : approvals.Where(x => x.Approval.ThirdNo == thirdNo)
                    .OrderByDescending(x => x.Approval.IsOpen).ThenByDescending(x => x.Approval.SubmittedAt).FirstOrDefault();
            if (found.Approval is null && !string.IsNullOrEmpty(spNo))
            {
                found = approvals.SingleOrDefault(x => x.Approval.SpNo == spNo);
            }

            return found.Approval is null ? (null, null) : found;
        }
    }
}
