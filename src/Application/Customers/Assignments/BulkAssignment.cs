using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.Common.Interfaces;
using CrmIntegration.Application.Common.Models;
using CrmIntegration.Application.Common.Persistence;
using CrmIntegration.Application.Common.Telemetry;
using CrmIntegration.Application.Common.Work;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Domain.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Application.Customers.Assignments;

/// <summary>
/// Batch and public-pool assignment, set-based: a few statements per 500 customers instead of a round trip
/// each, with the history rows and one summary notification committed in the same transaction.
/// </summary>
internal sealed class BulkAssignment(IAppDbContext db, IWorkSignals signals, TimeProvider clock, CrmMetrics metrics)
{
    // EF Core 10 sends a list as one parameter per item (padded); SQL Server takes at most 2,100 per statement.
    internal const int ChunkSize = 500;

    public async Task<AssignmentResultDto> AssignAsync(
        IReadOnlyList<Guid> customerIds, Guid employeeId, AssignmentChannel channel, string assignedBy, CancellationToken ct)
    {
        if (!await db.Employees.AnyAsync(e => e.Id == employeeId, ct))
        {
            throw new NotFoundException(nameof(Employee), employeeId);
        }

        var now = clock.GetUtcNow();
        var operationId = Guid.CreateVersion7(now);
        var version = Guid.NewGuid();

        // SQLite: BEGIN IMMEDIATE, so writers queue here and a read is never stale by the time we write. A transient
        // failure reruns the whole transaction (ADR-26); a commit whose outcome is unknown is checked by its history.
        var (changed, notificationId) = await db.InTransactionAsync(
            ct => AssignInTransactionAsync(customerIds, employeeId, channel, assignedBy, operationId, version, now, ct),
            ct => db.AssignmentHistory.AnyAsync(h => h.OperationId == operationId, ct),
            ct);
        if (notificationId is not null)
        {
            signals.Notify(WorkKind.EmployeeNotifications);
            metrics.CustomersAssigned(SnakeCaseEnum.Name(channel), changed);
        }

        return new AssignmentResultDto(operationId, employeeId, changed, customerIds.Count - changed, notificationId);
    }

    /// <summary>The reads, checks and writes of one attempt; the number of customers it assigns and its notification.</summary>
    private async Task<(int Changed, Guid? NotificationId)> AssignInTransactionAsync(
        IReadOnlyList<Guid> customerIds, Guid employeeId, AssignmentChannel channel, string assignedBy, Guid operationId, Guid version,
        DateTimeOffset now, CancellationToken ct)
    {
        var claim = channel == AssignmentChannel.PublicPool;
        var rows = await LoadAsync(customerIds, ct);
        var missing = customerIds.Where(id => !rows.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new NotFoundException(nameof(Customer), missing);
        }

        if (claim)
        {
            Customer.CheckClaimable(customerIds.Select(id => (id, rows[id].InPublicPool)));
        }

        var changing = customerIds.Where(id => claim || rows[id].OwnerEmployeeId != employeeId || rows[id].InPublicPool).ToList();
        foreach (var chunk in changing.Chunk(ChunkSize))
        {
            var versions = chunk.Select(id => rows[id].Version).Distinct().ToList();

            // The WHERE repeats what was checked: a row another request changed meanwhile (a concurrent claim
            // on SQL Server) is not taken, and the count tells us.
            var updated = await db.Customers
                .Where(c => chunk.Contains(c.Id) && versions.Contains(c.Version) && (!claim || c.InPublicPool))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(c => c.OwnerEmployeeId, employeeId)
                        .SetProperty(c => c.InPublicPool, false)
                        .SetProperty(c => c.AssignedAt, now)
                        .SetProperty(c => c.Version, version),
                    ct);
            if (updated != chunk.Length)
            {
                var lost = await db.Customers.AsNoTracking()
                    .Where(c => chunk.Contains(c.Id) && c.Version != version).Select(c => c.Id).ToListAsync(ct);
                if (claim)
                {
                    Customer.CheckClaimable(lost.Select(id => (id, false)));
                }

                throw new ConflictException($"{lost.Count} customer(s) changed meanwhile; read them again and retry.");
            }
        }

        foreach (var id in changing)
        {
            db.AssignmentHistory.Add(AssignmentHistory.Record(id, rows[id].OwnerEmployeeId, employeeId, assignedBy, channel, operationId, now));
        }

        EmployeeNotification? notification = null;
        if (changing.Count > 0)
        {
            notification = EmployeeNotification.ForSummary(
                employeeId, operationId, channel, changing.Count, changing.Take(EmployeeNotification.MaxSampleNames).Select(id => rows[id].Name), now);
            db.Notifications.Add(notification);
        }

        await db.SaveChangesAsync(ct);
        return (changing.Count, notification?.Id);
    }

    private async Task<Dictionary<Guid, Snapshot>> LoadAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var rows = new Dictionary<Guid, Snapshot>(ids.Count);
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var loaded = await db.Customers.AsNoTracking().Where(c => chunk.Contains(c.Id))
                .Select(c => new Snapshot(c.Id, c.Name, c.OwnerEmployeeId, c.InPublicPool, c.Version))
                .ToListAsync(ct);
            foreach (var row in loaded)
            {
                rows[row.Id] = row;
            }
        }

        return rows;
    }

    private sealed record Snapshot(Guid Id, string Name, Guid? OwnerEmployeeId, bool InPublicPool, Guid Version);
}
