using MediatR;

namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>The seed system's manual integration checklist, run live: settings, tokens, template, callbacks, cloud function.</summary>
public sealed record RunIntegrationCheckQuery : IRequest<IntegrationCheckReport>;

internal sealed class RunIntegrationCheckQueryHandler(IntegrationCheckRunner runner) : IRequestHandler<RunIntegrationCheckQuery, IntegrationCheckReport>
{
    public Task<IntegrationCheckReport> Handle(RunIntegrationCheckQuery request, CancellationToken cancellationToken) =>
        runner.RunAsync(cancellationToken);
}
