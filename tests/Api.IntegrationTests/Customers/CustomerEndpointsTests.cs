using System.Net;
using System.Net.Http.Json;
using CrmIntegration.Api.IntegrationTests.Support;

namespace CrmIntegration.Api.IntegrationTests.Customers;

/// <summary>Employees, customers and the assignment routes: roles, validation, 404 and 409 as ProblemDetails.</summary>
[TestFixture]
public sealed class CustomerEndpointsTests
{
    private CustomersApi _api = null!;
    private HttpClient _manager = null!;

    [SetUp]
    public void SetUp()
    {
        _api = CustomersApi.Create(f => f.With("Customers:MaxBatchSize", "3"));
        _manager = _api.Factory.CreateClientAs("manager");
    }

    [TearDown]
    public void TearDown()
    {
        _manager.Dispose();
        _api.Dispose();
    }

    [TestCase("POST", "/api/employees")]
    [TestCase("GET", "/api/employees")]
    [TestCase("POST", "/api/customers")]
    [TestCase("GET", "/api/customers")]
    [TestCase("PATCH", "/api/customers/01a20297-4dc0-7218-ac75-b5b088ab7e4f/assign")]
    [TestCase("PATCH", "/api/customers/miniprogram/01a20297-4dc0-7218-ac75-b5b088ab7e4f/assign")]
    [TestCase("POST", "/api/customers/batch-assign")]
    [TestCase("POST", "/api/customers/public-pool/assign")]
    [TestCase("GET", "/api/notifications")]
    [TestCase("POST", "/api/notifications/01a20297-4dc0-7218-ac75-b5b088ab7e4f/retry")]
    public async Task Route_WithoutToken_Is401(string method, string route)
    {
        var response = await _api.Factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), route) { Content = JsonContent.Create(new { }) });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [TestCase("POST", "/api/employees", "sales")]
    [TestCase("PUT", "/api/employees/01a20297-4dc0-7218-ac75-b5b088ab7e4f/openid", "sales")]
    [TestCase("POST", "/api/customers", "sales")]
    [TestCase("PATCH", "/api/customers/01a20297-4dc0-7218-ac75-b5b088ab7e4f/assign", "sales")]
    [TestCase("PATCH", "/api/customers/miniprogram/01a20297-4dc0-7218-ac75-b5b088ab7e4f/assign", "sales")]
    [TestCase("POST", "/api/customers/batch-assign", "sales")]
    [TestCase("POST", "/api/customers/public-pool/assign", "viewer")]
    [TestCase("GET", "/api/customers", "viewer")]
    [TestCase("GET", "/api/notifications", "sales")]
    [TestCase("POST", "/api/notifications/01a20297-4dc0-7218-ac75-b5b088ab7e4f/retry", "manager")]
    public async Task Route_WithoutSuitableRole_Is403(string method, string route, string role)
    {
        var response = await _api.Factory.CreateClientAs(role)
            .SendAsync(new HttpRequestMessage(new HttpMethod(method), route) { Content = JsonContent.Create(new { }) });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task CreateEmployee_AsManager_Is201AndReadsBack()
    {
        var created = await HttpAssert.OkJsonAsync(
            await _manager.PostJsonAsync("/api/employees", new { name = "Alice", weComUserId = "alice", miniProgramOpenId = "oAlice" }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var read = await HttpAssert.OkJsonAsync(await _api.Factory.CreateClientAs("sales").GetAsync($"/api/employees/{id}"));
        var list = await HttpAssert.OkJsonAsync(await _manager.GetAsync("/api/employees"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.GetProperty("weComUserId").GetString(), Is.EqualTo("alice"));
            Assert.That(read.GetProperty("miniProgramOpenId").GetString(), Is.EqualTo("oAlice"));
            Assert.That(list.GetProperty("totalCount").GetInt32(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task CreateEmployee_WithTakenWeComUserId_Is409()
    {
        await _api.EmployeeAsync("Alice", "alice", null);
        var response = await _manager.PostJsonAsync("/api/employees", new { name = "Alice 2", weComUserId = "alice" });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task SetOpenId_ThenClear_IsStoredAndCleared()
    {
        var id = await _api.EmployeeAsync("Alice", "alice", null);

        var set = await HttpAssert.OkJsonAsync(await _manager.PutAsJsonAsync($"/api/employees/{id}/openid", new { miniProgramOpenId = "oAlice_1-x" }));
        var cleared = await HttpAssert.OkJsonAsync(await _manager.PutAsJsonAsync($"/api/employees/{id}/openid", new { miniProgramOpenId = (string?)null }));
        var invalid = await _manager.PutAsJsonAsync($"/api/employees/{id}/openid", new { miniProgramOpenId = "o a" });

        Assert.That(set.GetProperty("miniProgramOpenId").GetString(), Is.EqualTo("oAlice_1-x"));
        Assert.That(cleared.GetProperty("miniProgramOpenId").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        await HttpAssert.ProblemAsync(invalid, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task ListCustomers_ByOwnerAndPublicPool_Filters()
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", null);
        var owned = await _api.CustomerAsync("张三");
        var pooled = await _api.CustomerAsync("李四", inPublicPool: true);
        await HttpAssert.OkJsonAsync(await _manager.PatchAsJsonAsync($"/api/customers/{owned}/assign", new { employeeId = alice }));

        var byOwner = await HttpAssert.OkJsonAsync(await _manager.GetAsync($"/api/customers?ownerEmployeeId={alice}"));
        var inPool = await HttpAssert.OkJsonAsync(await _manager.GetAsync("/api/customers?inPublicPool=true"));
        var one = await HttpAssert.OkJsonAsync(await _manager.GetAsync($"/api/customers/{owned}"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byOwner.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()), Is.EqualTo(new[] { owned }));
            Assert.That(inPool.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()), Is.EqualTo(new[] { pooled }));
            Assert.That(one.GetProperty("ownerEmployeeId").GetGuid(), Is.EqualTo(alice));
            Assert.That(one.GetProperty("inPublicPool").GetBoolean(), Is.False);
        }
    }

    [Test]
    public async Task GetCustomer_WhenUnknown_Is404()
    {
        var response = await _manager.GetAsync($"/api/customers/{Guid.NewGuid()}");
        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [TestCase("/api/customers/batch-assign")]
    [TestCase("/api/customers/public-pool/assign")]
    public async Task BulkAssign_WithEmptyDuplicateOrTooManyIds_Is400(string route)
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", null);
        var a = Guid.NewGuid();

        var empty = await _manager.PostJsonAsync(route, new { customerIds = Array.Empty<Guid>(), employeeId = alice });
        var duplicate = await _manager.PostJsonAsync(route, new { customerIds = new[] { a, a }, employeeId = alice });
        var tooMany = await _manager.PostJsonAsync(route, new { customerIds = new[] { a, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() }, employeeId = alice });

        var problems = new[]
        {
            await HttpAssert.ProblemAsync(empty, HttpStatusCode.BadRequest),
            await HttpAssert.ProblemAsync(duplicate, HttpStatusCode.BadRequest),
            await HttpAssert.ProblemAsync(tooMany, HttpStatusCode.BadRequest),
        };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems[0].GetProperty("errors").GetProperty("customerIds")[0].GetString(), Does.Contain("at least one"));
            Assert.That(problems[1].GetProperty("errors").GetProperty("customerIds")[0].GetString(), Does.Contain(a.ToString()));
            Assert.That(problems[2].GetProperty("errors").GetProperty("customerIds")[0].GetString(), Does.Contain("at most 3"));
        }
    }

    [Test]
    public async Task BatchAssign_WithUnknownIds_Is404ListingThemAndChangesNothing()
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", null);
        var known = await _api.CustomerAsync("张三");
        var unknown = new[] { Guid.NewGuid(), Guid.NewGuid() };

        var response = await _manager.PostJsonAsync("/api/customers/batch-assign", new { customerIds = new[] { known, unknown[0], unknown[1] }, employeeId = alice });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        var customer = await HttpAssert.OkJsonAsync(await _manager.GetAsync($"/api/customers/{known}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("ids").EnumerateArray().Select(i => i.GetGuid()), Is.EquivalentTo(unknown));
            Assert.That(customer.GetProperty("ownerEmployeeId").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(await _api.NotificationsAsync(), Is.Empty);
        }
    }

    [Test]
    public async Task Assign_ToUnknownEmployee_Is404()
    {
        var customer = await _api.CustomerAsync("张三");
        var response = await _manager.PatchAsJsonAsync($"/api/customers/{customer}/assign", new { employeeId = Guid.NewGuid() });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task PublicPoolAssign_WhenSomeAreNoLongerInThePool_Is409ListingThemAndChangesNothing()
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", null);
        var pooled = await _api.CustomerAsync("张三", inPublicPool: true);
        var taken = await _api.CustomerAsync("李四", inPublicPool: false);

        var response = await _manager.PostJsonAsync("/api/customers/public-pool/assign", new { customerIds = new[] { pooled, taken }, employeeId = alice });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        var stillPooled = await HttpAssert.OkJsonAsync(await _manager.GetAsync($"/api/customers/{pooled}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.GetProperty("rule").GetString(), Is.EqualTo("CustomersMustBeInPublicPool"));
            Assert.That(problem.GetProperty("ids").EnumerateArray().Select(i => i.GetGuid()), Is.EqualTo(new[] { taken }));
            Assert.That(stillPooled.GetProperty("inPublicPool").GetBoolean(), Is.True);
        }
    }

    [Test]
    public async Task PublicPoolAssign_AsSalesForSomeoneElse_Is403()
    {
        await _api.EmployeeAsync("Wang", "WangXiaoMing", null); // the test token's wecom_userid
        var other = await _api.EmployeeAsync("Alice", "alice", null);
        var pooled = await _api.CustomerAsync("张三", inPublicPool: true);

        var response = await _api.Factory.CreateClientAs("sales")
            .PostJsonAsync("/api/customers/public-pool/assign", new { customerIds = new[] { pooled }, employeeId = other });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task PublicPoolAssign_AsSalesWithoutAnEmployee_Is403()
    {
        var other = await _api.EmployeeAsync("Alice", "alice", null);
        var pooled = await _api.CustomerAsync("张三", inPublicPool: true);

        var response = await _api.Factory.CreateClientAs("sales")
            .PostJsonAsync("/api/customers/public-pool/assign", new { customerIds = new[] { pooled }, employeeId = other });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("wecom_userid"));
    }

    [Test]
    public async Task Assign_ToTheCurrentOwner_ChangesNothingAndQueuesNoNotification()
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", null);
        var customer = await _api.CustomerAsync("张三");
        await HttpAssert.OkJsonAsync(await _manager.PatchAsJsonAsync($"/api/customers/{customer}/assign", new { employeeId = alice }));

        var again = await HttpAssert.OkJsonAsync(await _manager.PatchAsJsonAsync($"/api/customers/{customer}/assign", new { employeeId = alice }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again.GetProperty("assigned").GetInt32(), Is.Zero);
            Assert.That(again.GetProperty("unchanged").GetInt32(), Is.EqualTo(1));
            Assert.That(await _api.NotificationsAsync(), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task RetryNotification_WhenPendingOrSent_Is409()
    {
        var alice = await _api.EmployeeAsync("Alice", "alice", "oAlice");
        var customer = await _api.CustomerAsync("张三");
        var id = (await HttpAssert.OkJsonAsync(await _manager.PatchAsJsonAsync($"/api/customers/{customer}/assign", new { employeeId = alice })))
            .GetProperty("notificationId").GetGuid();
        await _api.WaitForNotificationsAsync();

        var response = await _api.Factory.CreateClientAs("admin").PostAsync($"/api/notifications/{id}/retry", null);

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("rule").GetString(), Is.EqualTo("OnlyUndeliveredNotificationCanBeRetried"));
    }

    [Test]
    public async Task ListNotifications_WithUnknownStatus_Is400()
    {
        var response = await _manager.GetAsync("/api/notifications?status=lost");
        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
