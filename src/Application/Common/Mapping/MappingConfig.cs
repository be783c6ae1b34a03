using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Approvals.GetQuoteTimeline;
using CrmIntegration.Domain.Approvals;
using Mapster;

namespace CrmIntegration.Application.Common.Mapping;

public static class MappingConfig
{
    /// <summary>Every DTO member must have a source: a renamed entity property fails a test, not a client.</summary>
    public static TypeAdapterConfig Create()
    {
        var config = new TypeAdapterConfig { RequireDestinationMemberSource = true };
        config.NewConfig<Quote, QuoteDto>();
        config.NewConfig<TimelineEvent, TimelineEventDto>();
        return config;
    }
}
