using CrmIntegration.Application.Approvals.CreateQuote;
using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Approvals.ListQuotes;
using CrmIntegration.Application.Common.Exceptions;
using CrmIntegration.Application.UnitTests.Support;

namespace CrmIntegration.Application.UnitTests.Common;

[TestFixture]
public sealed class PipelineTests
{
    private TestDatabase _database = null!;
    private TestServices _services = null!;

    [SetUp]
    public void SetUp()
    {
        _database = TestDatabase.Create();
        _services = new TestServices(_database);
    }

    [TearDown]
    public void TearDown()
    {
        _services.Dispose();
        _database.Dispose();
    }

    [Test]
    public void Send_WhenCommandIsInvalid_ThrowsValidationExceptionWithFieldErrors_AndStoresNothing()
    {
        var error = Assert.ThrowsAsync<ValidationException>(() =>
            _services.SendAsync(new CreateQuoteCommand("", "ACME", 0m, "CNYX")));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "Title", "Amount", "Currency" }));
        using var db = _database.NewContext();
        Assert.That(db.Quotes.Count(), Is.Zero);
    }

    [Test]
    public void Send_WhenAmountHasMoreThanTwoDecimals_IsInvalid()
    {
        var error = Assert.ThrowsAsync<ValidationException>(() =>
            _services.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 1.005m, "CNY")));
        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "Amount" }));
    }

    [Test]
    public void Send_WhenQuoteIsMissing_ThrowsNotFound() =>
        Assert.ThrowsAsync<NotFoundException>(() => _services.SendAsync(new GetQuoteQuery(Guid.NewGuid())));

    [Test]
    public async Task Send_CreateThenList_RoundTripsThroughTheStore()
    {
        var created = await _services.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 10m, "usd"));
        var listed = await _services.SendAsync(new ListQuotesQuery(null, "draft"));

        Assert.That(listed.Items.Single(), Is.EqualTo(created));
        Assert.That(listed.TotalCount, Is.EqualTo(1));
    }

    [Test]
    public async Task CreateQuote_AfterTheFourDigitSequenceRunsOut_KeepsCounting()
    {
        using (var db = _database.NewContext())
        {
            db.Quotes.Add(Domain.Approvals.Quote.Create("CIS-20261122-9999", "t", "c", 1m, "CNY", _services.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        var next = await _services.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 10m, "CNY"));
        var after = await _services.SendAsync(new CreateQuoteCommand("Pumps", "ACME", 10m, "CNY"));

        Assert.That(new[] { next.Number, after.Number }, Is.EqualTo(new[] { "CIS-20261122-10000", "CIS-20261122-10001" }));
    }
}
