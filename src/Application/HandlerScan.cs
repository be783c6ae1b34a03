using System.Reflection;
using MediatR;

namespace CrmIntegration.Application;

/// <summary>Finds closed MediatR handlers; MediatR 5.1.0 has no DI package here (ADR-3).</summary>
public static class HandlerScan
{
    private static readonly Type[] _contracts =
        [typeof(IRequestHandler<,>), typeof(INotificationHandler<>)];

    public static IEnumerable<(Type Contract, Type Implementation)> In(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }
        from contract in type.GetInterfaces()
        where contract.IsGenericType && _contracts.Contains(contract.GetGenericTypeDefinition())
        select (contract, type);
}
