using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CrmIntegration.Api.ErrorHandling;
using CrmIntegration.Api.IntegrationTests.Support;
using CrmIntegration.Application.Approvals.GetQuote;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;
using AppValidationException = CrmIntegration.Application.Common.Exceptions.ValidationException;

namespace CrmIntegration.Api.IntegrationTests.Platform;

/// <summary>
/// What clients and operators see is what happened: the request log names the status sent at the level it
/// deserves; client errors name JSON fields, not C# types; Location never echoes the Host header; JSON is
/// strict; an expired token is refused after a short, configurable skew.
/// </summary>
[TestFixture]
public sealed class HonestApiTests
{
    private CrmApiFactory _factory = null!;
    private HttpClient _api = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _api = _factory.CreateClientAs("admin", "manager", "sales");
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    // ---- 6. The request log names the status sent, at Information/Warning for client errors.

    public static IEnumerable<TestCaseData> ClientErrors()
    {
        yield return new TestCaseData("/api/quotes", 400, (Func<HonestApiTests, Task<HttpResponseMessage>>)(t =>
            t._api.PostJsonAsync("/api/quotes", new { title = "", customerName = "", amount = -1m, currency = "CNY" }))).SetName("RequestLog_400Validation_IsLoggedAs400");
        yield return new TestCaseData("/api/quotes", 400, (Func<HonestApiTests, Task<HttpResponseMessage>>)(t =>
            t._api.PostAsync("/api/quotes", Json("{\"title\": \"a")))).SetName("RequestLog_400MalformedJson_IsLoggedAs400");
        var unknown = Guid.NewGuid();
        yield return new TestCaseData($"/api/quotes/{unknown}", 404, (Func<HonestApiTests, Task<HttpResponseMessage>>)(t =>
            t._api.GetAsync($"/api/quotes/{unknown}"))).SetName("RequestLog_404_IsLoggedAs404");
        yield return new TestCaseData("/api/customers/public-pool/assign", 403, (Func<HonestApiTests, Task<HttpResponseMessage>>)(t =>
        {
            var sales = t._factory.CreateClientAs("sales"); // wecom_userid WangXiaoMing: no such employee
            return sales.PostJsonAsync("/api/customers/public-pool/assign", new { customerIds = new[] { Guid.NewGuid() }, employeeId = Guid.NewGuid() });
        })).SetName("RequestLog_403FromTheUseCase_IsLoggedAs403");
        yield return new TestCaseData("/api/employees", 409, (Func<HonestApiTests, Task<HttpResponseMessage>>)(async t =>
        {
            var employee = new { name = "Li Lei", weComUserId = "LiLeiDup" };
            await t._api.PostJsonAsync("/api/employees", employee);
            return await t._api.PostJsonAsync("/api/employees", employee);
        })).SetName("RequestLog_409_IsLoggedAs409");
        yield return new TestCaseData("/wecom/callback", 413, (Func<HonestApiTests, Task<HttpResponseMessage>>)(t =>
            t._api.PostAsync("/wecom/callback?msg_signature=a&timestamp=1&nonce=2", new StringContent(new string('A', 70_000)))))
            .SetName("RequestLog_413_IsLoggedAs413");
    }

    [TestCaseSource(nameof(ClientErrors))]
    public async Task RequestLog_ClientError_IsLoggedWithTheStatusSent(string path, int status, Func<HonestApiTests, Task<HttpResponseMessage>> send)
    {
        var mark = LogCapture.Instance.Mark();
        var response = await send(this);
        await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(status));
        await LogAssert.ClientErrorLoggedHonestlyAsync(mark, path, status);
    }

    [Test]
    public async Task RequestLog_ServerFault_IsLoggedAs500AtError_WithTheExceptionLoggedOnce()
    {
        using var factory = new CrmApiFactory();
        factory.ConfigureTestServices = s => s.AddTransient<IPipelineBehavior<GetQuoteQuery, QuoteDto>, ThrowingBehaviour>();
        var api = factory.CreateClientAs("sales");
        var path = $"/api/quotes/{Guid.NewGuid()}";

        var mark = LogCapture.Instance.Mark();
        HttpResponseMessage response;
        using (LogCapture.Instance.ExpectErrors(LogAssert.RequestLogSource, LogAssert.RequestLogTemplate))
        using (LogCapture.Instance.ExpectErrors(LogAssert.ExceptionHandlerSource, LogAssert.ExceptionHandlerTemplate))
        using (LogCapture.Instance.ExpectErrors(LogAssert.UseCaseSource, LogAssert.UseCaseTemplate))
        {
            response = await api.GetAsync(path);
            await LogAssert.RequestLineAsync(mark, path);
        }

        var line = await LogAssert.RequestLineAsync(mark, path);
        var withException = LogCapture.Instance.EventsSince(mark).Where(e => e.Event.Exception is ThrowingBehaviour.Fault).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(line.Property("StatusCode"), Is.EqualTo(500));
            Assert.That(line.Level, Is.EqualTo(LogEventLevel.Error));
            Assert.That(withException.Where(e => e.SourceContext == "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware").ToList(),
                Has.Count.EqualTo(1), "the exception handler logs the stack trace of a real fault");
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("injected"), "500 without internals");
        }
    }

    // ---- 9. Client errors name JSON paths, never C# types or parameters.

    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":{\"x\":1},\"currency\":\"CNY\"}", "$.amount", TestName = "MalformedJson_WrongType_NamesTheJsonPath")]
    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":1,\"currency\":\"CNY\"", "$", TestName = "MalformedJson_Truncated_NamesNoCSharp")]
    [TestCase("null", "$", TestName = "MalformedJson_NullBody_NamesNoCSharp")]
    public async Task MalformedJson_AnswersAProblemNamingTheJsonPath_NotTheCSharpParameter(string body, string path)
    {
        var response = await _api.PostAsync("/api/quotes", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Not.Contain("CreateQuoteCommand").And.Not.Contain("command").And.Not.Contain("System."));
            Assert.That(problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name) : [], Does.Contain(path), text);
        }
    }

    [TestCase("/api/quotes?page=abc", "page", TestName = "BadQueryParameter_NamesTheParameter_NotItsCSharpType")]
    public async Task BadQueryParameter_AnswersAProblemNamingIt(string url, string name)
    {
        var response = await _api.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Not.Contain("int ").And.Not.Contain("Int32"));
            Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { name }), text);
        }
    }

    [Test]
    public async Task FeatureSwitchedOff_Is503_WithoutAnErrorEntry()
    {
        var quote = await HttpAssert.OkJsonAsync(
            await _api.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "ACME", amount = 1m, currency = "CNY" }), HttpStatusCode.Created);
        var mark = LogCapture.Instance.Mark();

        var response = await _api.PostJsonAsync($"/api/quotes/{quote.GetProperty("id").GetGuid()}/submit-approval", new { });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        var line = await LogAssert.RequestLineAsync(mark, $"/api/quotes/{quote.GetProperty("id").GetGuid()}/submit-approval");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(line.Level, Is.EqualTo(LogEventLevel.Warning));
            Assert.That(LogCapture.Instance.EventsSince(mark).Where(e => e.IsError).Select(e => e.ToString()), Is.Empty);
        }
    }

    [Test]
    public async Task ValidationErrors_AreKeyedByTheJsonNames()
    {
        var response = await _api.PostJsonAsync("/api/quotes", new { title = "Pumps", customerName = "", amount = 1m, currency = "CNY" });
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);

        var keys = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(keys, Is.EqualTo(new[] { "customerName" }));
    }

    [TestCase("CustomerName", "customerName")]
    [TestCase("Items[0].CustomerId", "items[0].customerId")]
    [TestCase("Lines[12].Price.Amount", "lines[12].price.amount")]
    [TestCase("approverUserIds[0]", "approverUserIds[0]")]
    [TestCase("", "")]
    public async Task ValidationErrors_NestedAndIndexedKeys_AreCamelCased(string key, string expected)
    {
        var written = new List<ProblemDetails>();
        var handler = new ProblemDetailsExceptionHandler(new CapturingProblems(written));

        await handler.TryHandleAsync(new DefaultHttpContext(), new AppValidationException(key, "bad"), CancellationToken.None);

        var problem = (HttpValidationProblemDetails)written.Single();
        Assert.That(problem.Errors.Keys, Is.EqualTo(new[] { expected }));
    }

    // ---- 10. Location never reflects the Host header.

    [TestCase("/api/quotes", "{\"title\":\"Pumps\",\"customerName\":\"ACME\",\"amount\":1,\"currency\":\"CNY\"}", TestName = "Location_OfACreatedQuote_IsRelative")]
    [TestCase("/api/employees", "{\"name\":\"Han Meimei\",\"weComUserId\":\"HanMeimeiHost\"}", TestName = "Location_OfACreatedEmployee_IsRelative")]
    [TestCase("/api/customers", "{\"name\":\"Zhang\",\"company\":\"Zhang Ltd\",\"phone\":\"13800000000\"}", TestName = "Location_OfACreatedCustomer_IsRelative")]
    public async Task Location_IsRelative_WhateverTheHostHeaderSays(string route, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = Json(body) };
        request.Headers.Host = "evil.example";
        var response = await _api.SendAsync(request);
        var created = await HttpAssert.OkJsonAsync(response, HttpStatusCode.Created);

        var location = response.Headers.Location;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(location, Is.Not.Null);
            Assert.That(location!.IsAbsoluteUri, Is.False, location.ToString());
            Assert.That(location.ToString(), Is.EqualTo($"{route}/{created.GetProperty("id").GetGuid()}"));
        }
    }

    // ---- 11. Strict JSON: duplicate properties and numbers in strings are refused, naming the path.

    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":1,\"amount\":1000000,\"currency\":\"CNY\"}", "$.amount", TestName = "StrictJson_DuplicateProperty_Is400")]
    [TestCase("{\"title\":\"a\",\"customerName\":\"b\",\"amount\":\"12.5\",\"currency\":\"CNY\"}", "$.amount", TestName = "StrictJson_NumberAsString_Is400")]
    public async Task StrictJson_IsRefusedWithAProblemNamingThePath(string body, string path)
    {
        var before = await _factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Quotes));
        var response = await _api.PostAsync("/api/quotes", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain(path), text);
            Assert.That(await _factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Quotes)),
                Is.EqualTo(before));
        }
    }

    // ---- 12. Expired tokens: 30 s of skew by default, configurable.

    [TestCase(-120, HttpStatusCode.Unauthorized, TestName = "Jwt_ExpiredTwoMinutesAgo_Is401")]
    [TestCase(-15, HttpStatusCode.OK, TestName = "Jwt_ExpiredFifteenSecondsAgo_IsWithinTheDefaultSkew")]
    public async Task Jwt_Expiry_HasAShortDefaultSkew(int expiredSecondsAgo, HttpStatusCode expected)
    {
        using var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", _factory.CreateToken(true, DateTime.UtcNow.AddSeconds(expiredSecondsAgo), "sales"));

        var response = await client.GetAsync("/api/quotes");
        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task Jwt_ClockSkew_IsConfigurable()
    {
        using var factory = new CrmApiFactory().With("Authentication:Schemes:Bearer:ClockSkew", "00:00:00");
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", factory.CreateToken(true, DateTime.UtcNow.AddSeconds(-5), "sales"));

        var response = await client.GetAsync("/api/quotes");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A real server fault inside the use case.</summary>
    private sealed class ThrowingBehaviour : IPipelineBehavior<GetQuoteQuery, QuoteDto>
    {
        public Task<QuoteDto> Handle(GetQuoteQuery request, CancellationToken cancellationToken, RequestHandlerDelegate<QuoteDto> next) =>
            throw new Fault();

        public sealed class Fault() : InvalidOperationException("injected fault");
    }

    private sealed class CapturingProblems(List<ProblemDetails> written) : IProblemDetailsService
    {
        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            written.Add(context.ProblemDetails);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryWriteAsync(ProblemDetailsContext context)
        {
            written.Add(context.ProblemDetails);
            return ValueTask.FromResult(true);
        }
    }

}
