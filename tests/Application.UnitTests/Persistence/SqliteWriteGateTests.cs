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

    [Test]
    public async Task AClaim_WaitsWhileAcknowledgementsAreWritten_AndGoesWhenTheyPause()
    {
        var gate = new SqliteWriteGate(idleGap: TimeSpan.FromMilliseconds(200), maxDefer: TimeSpan.FromMinutes(5));
        (await gate.EnterToAcknowledgeAsync(CancellationToken.None)).Dispose();

        var claim = gate.EnterWhenAcknowledgementsPauseAsync(CancellationToken.None).AsTask();
        var waitedForThePause = !claim.IsCompleted;
        var turn = await claim.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(waitedForThePause, Is.True, "the writer was free, but acknowledgements had just been written");
        turn.Dispose();
    }

    [Test]
    public async Task AClaim_GetsItsTurnAfterTheLongestDeferral_EvenWhileAcknowledgementsKeepComing()
    {
        var gate = new SqliteWriteGate(idleGap: TimeSpan.FromHours(1), maxDefer: TimeSpan.FromMilliseconds(100));
        (await gate.EnterToAcknowledgeAsync(CancellationToken.None)).Dispose(); // acknowledgements "just now", for an hour

        using var turn = await gate.EnterWhenAcknowledgementsPauseAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(turn, Is.Not.Null, "processing is never starved: at most maxDefer behind acknowledgements");
    }

    [Test]
    public async Task AClaim_WithNoAcknowledgementsAround_GoesAtOnce()
    {
        var gate = new SqliteWriteGate(idleGap: TimeSpan.FromMilliseconds(5), maxDefer: TimeSpan.FromHours(1));

        using var turn = await gate.EnterWhenAcknowledgementsPauseAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(turn, Is.Not.Null);
    }
}
