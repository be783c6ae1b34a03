using System.Reflection;
using NetArchTest.Rules;

namespace CrmIntegration.ArchitectureTests;

/// <summary>Dependencies point inward: Api → Infrastructure → Application → Domain (NetArchTest reads IL).</summary>
[TestFixture]
public sealed class LayerTests
{
    private const string Domain = "CrmIntegration.Domain";
    private const string Application = "CrmIntegration.Application";
    private const string Infrastructure = "CrmIntegration.Infrastructure";
    private const string Api = "CrmIntegration.Api";

    private static readonly Assembly _domain = typeof(Domain.Approvals.Quote).Assembly;
    private static readonly Assembly _application = typeof(Application.DependencyInjection).Assembly;
    private static readonly Assembly _infrastructure = typeof(Infrastructure.DependencyInjection).Assembly;

    [Test]
    public void Domain_DependsOnNothingOfOursOrOfInfrastructure()
    {
        var result = Types.InAssembly(_domain).ShouldNot()
            .HaveDependencyOnAny(Application, Infrastructure, Api,
                "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "MediatR", "FluentValidation", "Mapster", "Serilog")
            .GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Domain_ReferencesNoPackage()
    {
        var references = _domain.GetReferencedAssemblies().Select(a => a.Name!).Where(n => !IsFramework(n));
        Assert.That(references, Is.Empty);
    }

    [Test]
    public void Application_DoesNotDependOnInfrastructureOrApi()
    {
        var result = Types.InAssembly(_application).ShouldNot()
            .HaveDependencyOnAny(Infrastructure, Api, "Microsoft.EntityFrameworkCore.Sqlite", "Microsoft.EntityFrameworkCore.SqlServer",
                "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient")
            .GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Infrastructure_DoesNotDependOnApi()
    {
        var result = Types.InAssembly(_infrastructure).ShouldNot().HaveDependencyOn(Api).GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void ApprovalsModule_DoesNotDependOnCustomersModule()
    {
        foreach (var assembly in new[] { _domain, _application, _infrastructure })
        {
            var layer = assembly.GetName().Name!;
            var result = Types.InAssembly(assembly).That().ResideInNamespace($"{layer}.Approvals")
                .ShouldNot().HaveDependencyOnAny($"{Domain}.Customers", $"{layer}.Customers")
                .GetResult();
            Assert.That(result.FailingTypeNames ?? [], Is.Empty, layer);
        }
    }

    [Test]
    public void CustomersModule_DoesNotDependOnApprovalsModule()
    {
        foreach (var assembly in new[] { _domain, _application, _infrastructure })
        {
            var layer = assembly.GetName().Name!;
            var result = Types.InAssembly(assembly).That().ResideInNamespace($"{layer}.Customers")
                .ShouldNot().HaveDependencyOnAny($"{Domain}.Approvals", $"{layer}.Approvals")
                .GetResult();
            Assert.That(result.FailingTypeNames ?? [], Is.Empty, layer);
        }
    }

    [Test]
    public void Handlers_AreNotPublic()
    {
        var result = Types.InAssembly(_application).That().HaveNameEndingWith("Handler")
            .Should().NotBePublic().GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    [Test]
    public void Validators_AreNotPublic()
    {
        var result = Types.InAssembly(_application).That().HaveNameEndingWith("Validator")
            .Should().NotBePublic().GetResult();
        Assert.That(result.FailingTypeNames ?? [], Is.Empty);
    }

    private static bool IsFramework(string name) =>
        name is "System.Runtime" or "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal);
}
