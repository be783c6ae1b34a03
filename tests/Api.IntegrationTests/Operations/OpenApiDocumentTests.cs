using System.Net;
using System.Text.Json;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Operations;

/// <summary>/openapi/v1.json describes every operation as clients meet it: auth, names, number types, enums and errors.</summary>
[TestFixture]
public sealed class OpenApiDocumentTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private JsonElement _document;
    private List<(string Path, string Method, JsonElement Operation)> _operations = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        using var factory = new CrmApiFactory().With("OpenApi:Enabled", "true").With("WeCom:Simulation:Enabled", "true");
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        _operations = [.. _document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => (path.Name, m.Name, m.Value)))];
        Assert.That(_operations, Has.Count.GreaterThan(20));
    }

    [Test]
    public void TheBearerScheme_IsDeclared()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.That(scheme.GetProperty("type").GetString(), Is.EqualTo("http"));
        Assert.That(scheme.GetProperty("scheme").GetString(), Is.EqualTo("bearer"));
    }

    [Test]
    public void EverySecuredOperation_RequiresTheBearer_AndTheCallbackDoesNot()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var (path, method, operation) in _operations)
            {
                var schemes = operation.TryGetProperty("security", out var security)
                    ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToList()
                    : [];
                Assert.That(schemes, path.StartsWith("/api/", StringComparison.Ordinal) ? Does.Contain("Bearer") : Is.Empty, $"{method} {path}");
            }
        }
    }

    [Test]
    public void EveryOperation_HasASummary_AndAUniqueOperationId()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var (path, method, operation) in _operations)
            {
                Assert.That(operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null, Is.Not.Null.And.Not.Empty, $"{method} {path}");
                Assert.That(operation.TryGetProperty("operationId", out var id) ? id.GetString() : null, Is.Not.Null.And.Not.Empty, $"{method} {path}");
            }

            var ids = _operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).Where(id => id is not null).ToList();
            Assert.That(ids, Is.Unique);
        }
    }

    [Test]
    public void NumbersAreNumbers_NeverNumberOrStringUnions()
    {
        var unions = new List<string>();
        Walk(_document, "$", unions);
        Assert.That(unions, Is.Empty);
    }

    [TestCase("/api/quotes", "pending_approval", "draft")]
    [TestCase("/api/notifications", "unconfirmed", "not_subscribed")]
    [TestCase("/api/admin/wecom/inbox", "failed", "received")]
    public void StatusQueryParameters_AreEnumsListingTheirValues(string path, string oneValue, string another)
    {
        var parameter = _operations.Single(o => o.Path == path && o.Method == "get").Operation.GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "status");
        var schema = Resolve(parameter.GetProperty("schema"));
        var values = schema.TryGetProperty("enum", out var e) ? e.EnumerateArray().Select(v => v.ToString()).ToList() : [];
        Assert.That(values, Does.Contain(oneValue).And.Contain(another), schema.GetRawText());
    }

    [Test]
    public void EveryOperation_DeclaresTheErrorsItGives_AsProblemDetails()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var (path, method, operation) in _operations)
            {
                var responses = operation.GetProperty("responses").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
                var expected = new List<string>();
                if (path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    expected.AddRange(["401", "403", "429"]);
                }

                if (path.Contains("{id}", StringComparison.Ordinal))
                {
                    expected.Add("404");
                }

                if (operation.TryGetProperty("requestBody", out _) || path.StartsWith("/wecom/", StringComparison.Ordinal))
                {
                    expected.Add("400");
                }

                if (path.StartsWith("/wecom/", StringComparison.Ordinal))
                {
                    expected.Add("503");
                }

                Assert.That(responses.Keys, Is.SupersetOf(expected), $"{method} {path}");
                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5' && r.Key != "413"))
                {
                    Assert.That(response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
                        Is.True, $"{method} {path} {status} is a ProblemDetails");
                }
            }

            var submit = _operations.Single(o => o.Path == "/api/quotes/{id}/submit-approval").Operation.GetProperty("responses");
            Assert.That(submit.EnumerateObject().Select(r => r.Name), Is.SupersetOf(new[] { "409", "502", "503" }));
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return _document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    /// <summary>Every <c>"type": [..., "string", "integer"|"number"]</c> and every numeric pattern, with its JSON path.</summary>
    private static void Walk(JsonElement element, string at, List<string> found)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array)
            {
                var types = type.EnumerateArray().Select(t => t.GetString()).ToList();
                if (types.Contains("string") && (types.Contains("integer") || types.Contains("number")))
                {
                    found.Add($"{at}: {type.GetRawText()}");
                }
            }

            if (element.TryGetProperty("pattern", out var pattern) && pattern.GetString()!.Contains("[0-9]", StringComparison.Ordinal))
            {
                found.Add($"{at}: pattern {pattern.GetString()}");
            }

            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, $"{at}.{property.Name}", found);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, $"{at}[{i++}]", found);
            }
        }
    }
}
