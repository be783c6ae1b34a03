using CrmIntegration.Application.Approvals.WeComApi;
using CrmIntegration.Infrastructure.Persistence;
using CrmIntegration.Infrastructure.Persistence.Budget;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Budget;

/// <summary>
/// The shared WeCom call count: one row per minute in <c>wecom_call_budget</c>, changed only by single conditional
/// statements, so instances on one database (SQLite's single writer, SQL Server's row locks) never pass the ceiling
/// together. The minute's row is inserted by whoever needs it first; the loser of that race updates the winner's row.
/// Set-based SQL only: the caller's unit of work (a claimed batch, a quote being submitted) is neither saved nor touched.
/// </summary>
internal sealed class WeComCallCounter(AppDbContext db, TimeProvider clock) : IWeComCallCounter
{
    // Minutes older than this are deleted whenever a new minute's row is inserted: the table stays about an hour long.
    private const int KeptMinutes = 60;
    // Each lost race means another instance changed the count meanwhile; past this the minute counts as spent.
    private const int MaxRaces = 5;

    public async Task<int> TakeAsync(int calls, int ceiling, CancellationToken ct)
    {
        var minute = CurrentMinute();
        calls = Math.Min(calls, ceiling);
        for (var race = 0; race < MaxRaces && calls > 0; race++)
        {
            if (await AddAsync(minute, calls, ceiling, ct))
            {
                return calls;
            }

            var count = await db.WeComCallMinutes.AsNoTracking().Where(m => m.UnixMinute == minute).Select(m => (int?)m.Calls).SingleOrDefaultAsync(ct);
            if (count is null)
            {
                if (await TryStartMinuteAsync(minute, calls, ct))
                {
                    return calls;
                }

                continue; // another instance started the minute meanwhile: take from its row
            }

            calls = Math.Min(calls, ceiling - count.Value); // only fewer fit (none: the minute is spent)
        }

        return 0;
    }

    public async Task AddAsync(int calls, CancellationToken ct)
    {
        var minute = CurrentMinute();
        while (!await AddAsync(minute, calls, ceiling: null, ct) && !await TryStartMinuteAsync(minute, calls, ct))
        {
            // The row appeared between the update and the insert: update it.
        }
    }

    private long CurrentMinute() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    // One statement: UPDATE wecom_call_budget SET calls = calls + @n WHERE unix_minute = @m [AND calls + @n <= @ceiling].
    private async Task<bool> AddAsync(long minute, int calls, int? ceiling, CancellationToken ct)
    {
        var row = db.WeComCallMinutes.Where(m => m.UnixMinute == minute);
        if (ceiling is { } limit)
        {
            row = row.Where(m => m.Calls + calls <= limit);
        }

        return await row.ExecuteUpdateAsync(s => s.SetProperty(m => m.Calls, m => m.Calls + calls), ct) == 1;
    }

    private async Task<bool> TryStartMinuteAsync(long minute, int calls, CancellationToken ct)
    {
        try
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO wecom_call_budget (unix_minute, calls) VALUES ({minute}, {calls})", ct);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            return false;
        }

        var old = minute - KeptMinutes;
        await db.WeComCallMinutes.Where(m => m.UnixMinute < old).ExecuteDeleteAsync(ct);
        return true;
    }
}
