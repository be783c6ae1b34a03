using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Approvals.GetQuoteTimeline;
using CrmIntegration.Application.Customers.GetCustomer;
using CrmIntegration.Application.Customers.GetEmployee;
using CrmIntegration.Application.Customers.ListNotifications;
using CrmIntegration.Domain.Approvals;
using CrmIntegration.Domain.Customers;
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
        config.NewConfig<Employee, EmployeeDto>();
        config.NewConfig<Customer, CustomerDto>();
        config.NewConfig<EmployeeNotification, NotificationDto>();
        return config;
    }
}
