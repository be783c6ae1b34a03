using System.Reflection;
using MediatR;
using NetArchTest.Rules;

namespace CrmIntegration.ArchitectureTests;

/// <summary>
/// Use cases are MediatR handlers in Application, and only there: <c>AddApplication</c> registers the handlers that
/// <c>HandlerScan</c> finds in Application, so a handler elsewhere would be business logic outside the use cases, or
/// silently never run.
/// </summary>
[TestFixture]
public sealed class HandlerTests
{
    private static readonly Assembly _application = typeof(Application.DependencyInjection).Assembly;
    private static readonly Assembly _infrastructure = typeof(Infrastructure.DependencyInjection).Assembly;

    private static readonly Assembly[] _ours =
        [typeof(Domain.Approvals.Quote).Assembly, _application, _infrastructure, typeof(Program).Assembly];

    [Test]
    public void EveryRequestHandler_LivesInApplication()
    {
        var elsewhere = _ours.Where(a => a != _application).SelectMany(RequestHandlersIn).Select(t => t.FullName);

        Assert.That(elsewhere, Is.Empty, "IRequestHandler<,> implementations outside CrmIntegration.Application");
        Assert.That(RequestHandlersIn(_application), Is.Not.Empty, "the scan finds Application's handlers");
    }

    [Test]
    public void Infrastructure_HoldsNoRequestHandler()
    {
        var result = Types.InAssembly(_infrastructure).ShouldNot().ImplementInterface(typeof(IRequestHandler<,>)).GetResult();

        Assert.That(result.FailingTypeNames ?? [], Is.Empty, "Infrastructure keeps adapters; decisions are Application handlers");
    }

    [Test]
    public void TheNetArchTestPredicate_FindsEveryHandlerReflectionFinds()
    {
        // Guards Infrastructure_HoldsNoRequestHandler against a predicate that matches nothing (open generics).
        var found = Types.InAssembly(_application).That().ImplementInterface(typeof(IRequestHandler<,>)).GetTypes()
            .Select(t => t.FullName).Order();

        Assert.That(found, Is.EqualTo(RequestHandlersIn(_application).Select(t => t.FullName).Order()));
    }

    /// <summary>Closed, concrete types implementing IRequestHandler&lt;,&gt; (IRequestHandler&lt;T&gt; derives from it).</summary>
    internal static IEnumerable<Type> RequestHandlersIn(Assembly assembly) =>
        assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false }
                                       && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)));
}
