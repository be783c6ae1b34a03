using CrmIntegration.Infrastructure.Persistence;

namespace CrmIntegration.Application.UnitTests.Persistence;

/// <summary>The inbox writer and the callback processor take SQLite's one writer in turn, handed over at once.</summary>
[TestFixture]
public sealed class SqliteWriteGateTests
{
    [Test]
    public async Task ASecondWriter_GetsItsTurn_WhenTheFirstEndsIts_InTheOrderTheyCame()
    {
        var gate = new SqliteWriteGate();
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None).AsTask();
        var third = gate.EnterAsync(CancellationToken.None).AsTask();

        Assert.That(second.IsCompleted || third.IsCompleted, Is.False, "one writer at a time");
        first.Dispose();
        first.Dispose(); // ending a turn twice gives away no second turn
        var secondTurn = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(third.IsCompleted, Is.False, "first come, first served");
        secondTurn.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        using var again = await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task AWaitingWriter_CanStopWaiting()
    {
        var gate = new SqliteWriteGate();
        using var held = await gate.EnterAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var waiting = gate.EnterAsync(stop.Token).AsTask();

        await stop.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }
}
