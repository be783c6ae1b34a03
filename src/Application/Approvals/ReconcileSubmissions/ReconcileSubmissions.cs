using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Approvals.WeCom;
using CrmIntegration.Domain.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmIntegration.Application.Approvals.ReconcileSubmissions;

/// <summary>
/// Finds the forms of our template we do not know, paying every WeCom call from the budget all instances share
/// (<see cref="WeComCallBudget"/>); it stops where the minute's background share runs out. A form we do not know is
/// matched to its quote by the quote-number control (<see cref="FormAdopter"/>): it settles a submission whose
/// applyevent answer was lost, or is adopted. Where the forms come from (ADR-27): while a submission's outcome is
/// unknown, a sweep of every form of the recent window (getapprovalinfo, any status), after which submissions it did
/// not find are abandoned past the grace period, so the quote can be submitted again; otherwise the pending forms the
/// list scan has just read (<paramref name="PendingOfOurTemplate"/>, no call of its own), or nothing when another
/// instance scanned this interval.
/// </summary>
public sealed record ReconcileSubmissionsCommand(IReadOnlySet<string>? PendingOfOurTemplate = null) : IRequest<ReconcileReport>;

internal sealed class ReconcileSubmissionsCommandHandler(
    IAppDbContext db,
    IWeComApi weCom,
    WeComCallBudget budget,
    IServiceScopeFactory scopes,
    IOptions<WeComOptions> options,
    TimeProvider clock,
    ILogger<ReconcileSubmissionsCommandHandler> logger) : IRequestHandler<ReconcileSubmissionsCommand, ReconcileReport>
{
    // Detail reads are paid for a few at a time: one budget update per call would take the database's writer as often.
    private const int DetailCallsPerTake = 10;

    public async Task<ReconcileReport> Handle(ReconcileSubmissionsCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var calls = new PaidCalls(budget);
        var now = clock.GetUtcNow();
        var start = now - settings.Sync.ReconcileWindow;
        var fullSweep = await db.ApprovalInstances.AnyAsync(a => a.IsOpen && a.SubmissionState == SubmissionState.Requested, cancellationToken);
        if (!fullSweep && command.PendingOfOurTemplate is null)
        {
            return new ReconcileReport(0, 0, 0, 0, false);
        }

        var spNos = fullSweep ? [] : command.PendingOfOurTemplate!.ToList();
        string? cursor = null;
        var complete = true;
        for (var more = fullSweep; more;)
        {
            if (!await calls.TryPayAsync(1, cancellationToken))
            {
                complete = false;
                break;
            }

            var page = await weCom.GetApprovalInfoAsync(new ApprovalInfoQuery(start, now, cursor, settings.Approval.TemplateId, null), cancellationToken);
            spNos.AddRange(page.SpNos);
            cursor = page.NextCursor;
            more = cursor is not null;
        }

        var known = await KnownSpNosAsync(spNos, cancellationToken);
        int reconciled = 0, failed = 0;
        var unknown = spNos.Where(s => !known.Contains(s)).Distinct().ToList();
        for (var i = 0; i < unknown.Count; i++)
        {
            var spNo = unknown[i];
            if (!await calls.TryPayAsync(Math.Min(DetailCallsPerTake, unknown.Count - i), cancellationToken))
            {
                complete = false;
                break;
            }

            var detail = await weCom.GetApprovalDetailAsync(spNo, cancellationToken);
            await using var scope = scopes.CreateAsyncScope(); // a failed save leaves nothing tracked for the next form
            switch (await scope.ServiceProvider.GetRequiredService<FormAdopter>().AdoptAsync(detail, cancellationToken))
            {
                case AdoptionResult.Tied:
                    reconciled++;
                    break;
                case AdoptionResult.Failed:
                    failed++;
                    break;
            }
        }

        var abandoned = complete && fullSweep ? await AbandonLostSubmissionsAsync(start, cancellationToken) : 0;
        return new ReconcileReport(reconciled, abandoned, failed, calls.Made, !complete);
    }

    // Chunked: SQL Server takes at most 2,100 parameters per query, and a day's sweep can return more sp_nos.
    private async Task<HashSet<string>> KnownSpNosAsync(List<string> spNos, CancellationToken ct)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in spNos.Distinct().Chunk(500))
        {
            var keys = chunk.Select(FormAdopter.ReconcileKey).ToList();
            known.UnionWith(await db.ApprovalInstances.AsNoTracking().Where(a => a.SpNo != null && chunk.Contains(a.SpNo))
                .Select(a => a.SpNo!).ToListAsync(ct));
            known.UnionWith(await db.Timeline.AsNoTracking().Where(t => keys.Contains(t.EventKey)).Select(t => t.SpNo!).ToListAsync(ct));
        }

        return known;
    }

    private async Task<int> AbandonLostSubmissionsAsync(DateTimeOffset sweptFrom, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.Sync.SubmissionGracePeriod;
        var lost = await db.ApprovalInstances.Include(a => a.Quote)
            .Where(a => a.IsOpen && a.SubmissionState == SubmissionState.Requested && a.SubmittedAt < cutoff && a.SubmittedAt >= sweptFrom)
            .ToListAsync(ct);
        foreach (var approval in lost)
        {
            approval.Quote.AbandonSubmission(approval, now);
            logger.LogWarning("Submission of quote {QuoteNumber} never reached WeCom; it may be submitted again", approval.ThirdNo);
        }

        await db.SaveChangesAsync(ct);
        return lost.Count;
    }
}
