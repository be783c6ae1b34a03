using CrmIntegration.Application.Approvals.WeComApi;

namespace CrmIntegration.Application.Approvals.ScanApprovalLists;

/// <summary>
/// Pages one getapprovalinfo list (one template, one WeCom status, one window of at most 31 days) to its end,
/// paying each page from the shared budget. Windows are widened by <see cref="Margin"/> on both sides: WeCom stamps
/// apply_time by its own clock, a little after we stamp SubmittedAt by ours.
/// </summary>
internal sealed class ApprovalListPager(IWeComApi weCom)
{
    public const int PageSize = 100; // WeCom's largest page

    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    /// <summary>getapprovalinfo's longest window.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(31);

    /// <summary>The oldest submission the pending lists cover: the list window, less the margin on both of its ends.</summary>
    public static DateTimeOffset ListedSince(DateTimeOffset now, TimeSpan listWindow) => now - listWindow + 2 * Margin;

    /// <summary>Whether the pending lists can confirm an approval submitted within the window (PendingListScan's query says the same).</summary>
    public static bool IsListable(Domain.Approvals.ApprovalKind kind, string? spNo, string? templateId) =>
        kind == Domain.Approvals.ApprovalKind.System && spNo is not null && templateId is not null;

    /// <summary>The listed sp_nos, and whether the list was read to its end (false: the minute's budget ran out first).</summary>
    public async Task<(HashSet<string> SpNos, bool Complete)> ListAsync(
        string templateId, int spStatus, DateTimeOffset start, DateTimeOffset end, int expected, PaidCalls calls, CancellationToken ct)
    {
        var spNos = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            // Pay for the pages this list should take in one go (one budget update, not one per page).
            if (!await calls.TryPayAsync((expected - spNos.Count) / PageSize + 1, ct))
            {
                return (spNos, false);
            }

            var page = await weCom.GetApprovalInfoAsync(new ApprovalInfoQuery(start, end, cursor, templateId, null, PageSize, spStatus), ct);
            spNos.UnionWith(page.SpNos);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return (spNos, true);
    }
}
