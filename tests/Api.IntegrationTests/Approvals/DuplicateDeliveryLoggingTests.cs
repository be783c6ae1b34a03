using System.Net;
using CrmIntegration.Api.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

/// <summary>
/// Expected clashes are not errors: WeCom redelivers routinely and a unique violation the code handles is an
/// answer, not a fault. A genuine database failure still is one.
/// </summary>
[TestFixture]
public sealed class DuplicateDeliveryLoggingTests
{
    private CrmApiFactory _factory = null!;
    private WeComCallbackClient _wecom = null!;
    private HttpClient _api = null!;

    private long Now => _factory.Clock.GetUtcNow().ToUnixTimeSeconds();

    [SetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _api = _factory.CreateClientAs("admin", "manager", "sales");
        _wecom = new WeComCallbackClient(_factory);
    }

    [TearDown]
    public void TearDown()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task DuplicateDelivery_IsAcknowledged_WithoutAnErrorEntry()
    {
        var message = WeComMessages.OpenApprovalChange("CIS-20261122-0042", 1, Now);
        await _wecom.PostAsync(message);
        await _factory.WaitForInboxAsync();

        var mark = LogCapture.Instance.Mark();
        var again = await _wecom.PostAsync(message);

        Assert.That(await again.Content.ReadAsStringAsync(), Is.EqualTo("success"));
        Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
    }

    [Test]
    public async Task ConcurrentIdenticalDeliveries_OneStored_AllAcknowledged_NoErrorEntry()
    {
        var mark = LogCapture.Instance.Mark();
        for (var round = 0; round < 5; round++)
        {
            var message = WeComMessages.OpenApprovalChange($"CIS-20261122-01{round:D2}", 1, Now);
            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _wecom.PostAsync(message)));
            foreach (var response in responses)
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));
            }
        }

        await _factory.WaitForInboxAsync();
        Assert.That(await _factory.WithDbAsync(db => db.Inbox.CountAsync()), Is.EqualTo(5), "one stored per event, none lost");
        Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
    }

    [Test]
    public async Task DuplicateEmployee_Is409_WithoutAnErrorEntry()
    {
        var employee = new { name = "Li Lei", weComUserId = "LiLei" };
        await HttpAssert.OkJsonAsync(await _api.PostJsonAsync("/api/employees", employee), HttpStatusCode.Created);

        var mark = LogCapture.Instance.Mark();
        await HttpAssert.ProblemAsync(await _api.PostJsonAsync("/api/employees", employee), HttpStatusCode.Conflict);

        Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
    }

    [Test]
    public async Task GenuineDatabaseFailure_IsStillAnErrorEntry_WithTheDatabaseError()
    {
        // The database itself refuses the row (not a clash on event_key): what a real fault looks like to the writer.
        await _factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER refuse_inbox BEFORE INSERT ON wecom_inbox BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"));

        var mark = LogCapture.Instance.Mark();
        HttpResponseMessage response;
        using (LogCapture.Instance.ExpectErrors(LogAssert.RequestLogSource, LogAssert.RequestLogTemplate))
        using (LogCapture.Instance.ExpectErrors(LogAssert.ExceptionHandlerSource, LogAssert.ExceptionHandlerTemplate))
        using (LogCapture.Instance.ExpectErrors(LogAssert.UseCaseSource, LogAssert.UseCaseTemplate)) // StoreApprovalCallback's pipeline
        {
            response = await _wecom.PostAsync(WeComMessages.OpenApprovalChange("CIS-20261122-0043", 1, Now));
            await LogAssert.RequestLineAsync(mark, "/wecom/callback");
        }

        var errors = LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(errors.Where(e => e.Event.Exception?.InnerException is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1811 }).ToList(), Is.Not.Empty,
                "the failure reaches the log at Error with the database's own error: " + string.Join("; ", errors));
        }
    }
}
