using System.Net;
using System.Text;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Approvals;

[TestFixture]
public sealed class QuoteEndpointsTests
{
    private static readonly object _validQuote = new { title = "Water pumps", customerName = "ACME Ltd", amount = 1200.50m, currency = "cny" };

    private CrmApiFactory _factory = null!;

    [SetUp]
    public void SetUp() => _factory = new CrmApiFactory();

    [TearDown]
    public void TearDown() => _factory.Dispose();

    [Test]
    public async Task CreateQuote_WithoutToken_Is401ProblemDetails()
    {
        var response = await _factory.CreateClient().PostJsonAsync("/api/quotes", _validQuote);
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase]
    [TestCase("viewer")]
    public async Task CreateQuote_WithTokenWithoutSuitableRole_Is403(params string[] roles)
    {
        var response = await _factory.CreateClientAs(roles).PostJsonAsync("/api/quotes", _validQuote);
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task CreateQuote_WithTokenFromAnotherIssuer_Is401()
    {
        using var other = new CrmApiFactory();
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", other.CreateToken("sales"));
        var response = await client.PostJsonAsync("/api/quotes", _validQuote);
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase("sales")]
    [TestCase("manager")]
    public async Task CreateQuote_AsSalesOrManager_Is201AndReadsBackAsDraft(string role)
    {
        var client = _factory.CreateClientAs(role);

        var created = await client.PostJsonAsync("/api/quotes", _validQuote);
        var quote = await HttpAssert.OkJsonAsync(created, HttpStatusCode.Created);
        var id = quote.GetProperty("id").GetGuid();
        var read = await HttpAssert.OkJsonAsync(await client.GetAsync($"/api/quotes/{id}"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(created.Headers.Location?.ToString(), Does.EndWith($"/api/quotes/{id}"));
            Assert.That(quote.GetProperty("number").GetString(), Is.EqualTo("CIS-20261122-0001"));
            Assert.That(read.GetProperty("status").GetString(), Is.EqualTo("draft"));
            Assert.That(read.GetProperty("approvalStatus").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(read.GetProperty("title").GetString(), Is.EqualTo("Water pumps"));
            Assert.That(read.GetProperty("customerName").GetString(), Is.EqualTo("ACME Ltd"));
            Assert.That(read.GetProperty("amount").GetDecimal(), Is.EqualTo(1200.50m));
            Assert.That(read.GetProperty("currency").GetString(), Is.EqualTo("CNY"));
        }
    }

    [Test]
    public async Task CreateQuote_Twice_NumbersFollowEachOtherWithinTheLocalDay()
    {
        var client = _factory.CreateClientAs("sales");
        _factory.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 22, 15, 59, 0, TimeSpan.Zero)); // 23:59 in UTC+8
        var first = await HttpAssert.OkJsonAsync(await client.PostJsonAsync("/api/quotes", _validQuote), HttpStatusCode.Created);
        var second = await HttpAssert.OkJsonAsync(await client.PostJsonAsync("/api/quotes", _validQuote), HttpStatusCode.Created);
        _factory.Clock.Advance(TimeSpan.FromMinutes(2)); // 00:01 the next day in UTC+8
        var third = await HttpAssert.OkJsonAsync(await client.PostJsonAsync("/api/quotes", _validQuote), HttpStatusCode.Created);

        Assert.That(
            new[] { first, second, third }.Select(q => q.GetProperty("number").GetString()),
            Is.EqualTo(new[] { "CIS-20261122-0001", "CIS-20261122-0002", "CIS-20261123-0001" }));
    }

    [Test]
    public async Task CreateQuote_TwentyAtOnce_AllGetDistinctNumbers()
    {
        var client = _factory.CreateClientAs("sales");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostJsonAsync("/api/quotes", _validQuote)));
        var numbers = new List<string>();
        foreach (var response in responses)
        {
            numbers.Add((await HttpAssert.OkJsonAsync(response, HttpStatusCode.Created)).GetProperty("number").GetString()!);
        }

        Assert.That(numbers, Is.Unique.And.Count.EqualTo(20));
        Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(1, 20).Select(i => $"CIS-20261122-{i:D4}")));
    }

    [Test]
    public async Task CreateQuote_WithConfiguredPrefix_UsesIt()
    {
        _factory.With("Quotes:NumberPrefix", "QT");
        var quote = await HttpAssert.OkJsonAsync(
            await _factory.CreateClientAs("sales").PostJsonAsync("/api/quotes", _validQuote), HttpStatusCode.Created);
        Assert.That(quote.GetProperty("number").GetString(), Is.EqualTo("QT-20261122-0001"));
    }

    [Test]
    public async Task CreateQuote_WithInvalidFields_Is400WithEveryFieldErrorAndStoresNothing()
    {
        var client = _factory.CreateClientAs("sales");
        var response = await client.PostJsonAsync("/api/quotes",
            new { title = "  ", customerName = new string('x', 201), amount = -1, currency = "yuan" });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.TryGetProperty("title", out _), Is.True, "title");
            Assert.That(errors.TryGetProperty("customerName", out _), Is.True, "customerName");
            Assert.That(errors.TryGetProperty("amount", out _), Is.True, "amount");
            Assert.That(errors.TryGetProperty("currency", out _), Is.True, "currency");
            Assert.That(await _factory.WithDbAsync(db => Task.FromResult(db.Quotes.Count())), Is.Zero);
        }
    }

    [TestCase("{not json")]
    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":\"lots\",\"currency\":\"CNY\"}")]
    [TestCase("[]")]
    public async Task CreateQuote_WithMalformedJson_Is400ProblemDetails(string body)
    {
        var client = _factory.CreateClientAs("sales");
        var response = await client.PostAsync("/api/quotes", new StringContent(body, Encoding.UTF8, "application/json"));
        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task GetQuote_WhenUnknown_Is404ProblemDetails()
    {
        var response = await _factory.CreateClientAs("sales").GetAsync($"/api/quotes/{Guid.NewGuid()}");
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Quote"));
    }

    [Test]
    public async Task ListQuotes_FiltersByNumberAndStatusAndPages()
    {
        var client = _factory.CreateClientAs("manager");
        for (var i = 0; i < 3; i++)
        {
            await HttpAssert.OkJsonAsync(await client.PostJsonAsync("/api/quotes", _validQuote), HttpStatusCode.Created);
        }

        var byNumber = await HttpAssert.OkJsonAsync(await client.GetAsync("/api/quotes?number=CIS-20261122-0002"));
        var drafts = await HttpAssert.OkJsonAsync(await client.GetAsync("/api/quotes?status=draft&page=2&pageSize=2"));
        var approved = await HttpAssert.OkJsonAsync(await client.GetAsync("/api/quotes?status=approved"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byNumber.GetProperty("items")[0].GetProperty("number").GetString(), Is.EqualTo("CIS-20261122-0002"));
            Assert.That(byNumber.GetProperty("totalCount").GetInt32(), Is.EqualTo(1));
            Assert.That(drafts.GetProperty("totalCount").GetInt32(), Is.EqualTo(3));
            Assert.That(drafts.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
            Assert.That(approved.GetProperty("totalCount").GetInt32(), Is.Zero);
        }
    }

    [TestCase("status=Draft")]
    [TestCase("status=bogus")]
    [TestCase("page=0")]
    [TestCase("pageSize=1000")]
    [TestCase("page=abc")]
    public async Task ListQuotes_WithBadQuery_Is400(string query)
    {
        var response = await _factory.CreateClientAs("sales").GetAsync($"/api/quotes?{query}");
        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task GetTimeline_OfNewQuote_IsEmpty_AndOfUnknownQuote_Is404()
    {
        var client = _factory.CreateClientAs("sales");
        var quote = await HttpAssert.OkJsonAsync(await client.PostJsonAsync("/api/quotes", _validQuote), HttpStatusCode.Created);

        var timeline = await HttpAssert.OkJsonAsync(await client.GetAsync($"/api/quotes/{quote.GetProperty("id").GetGuid()}/timeline"));
        Assert.That(timeline.GetArrayLength(), Is.Zero);
        await HttpAssert.ProblemAsync(await client.GetAsync($"/api/quotes/{Guid.NewGuid()}/timeline"), HttpStatusCode.NotFound);
    }
}
