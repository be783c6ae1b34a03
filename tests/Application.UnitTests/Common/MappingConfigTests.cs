using CrmIntegration.Application.Approvals.GetQuote;
using CrmIntegration.Application.Common.Mapping;
using CrmIntegration.Domain.Approvals;
using Mapster;

namespace CrmIntegration.Application.UnitTests.Common;

[TestFixture]
public sealed class MappingConfigTests
{
    [Test]
    public void MappingConfig_WhenCompiled_HasASourceForEveryMember() =>
        Assert.DoesNotThrow(() =>
        {
            var config = MappingConfig.Create();
            config.Compile();
            config.CompileProjection();
        });

    [Test]
    public void MappingConfig_ProjectsARealQuote()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var quote = Quote.Create("CIS-20261122-0001", "Pumps", "ACME", 12.5m, "cny", now);

        var dto = new[] { quote }.AsQueryable().ProjectToType<QuoteDto>(MappingConfig.Create()).Single();

        Assert.That(dto, Is.EqualTo(new QuoteDto
        {
            Id = quote.Id, Number = "CIS-20261122-0001", Title = "Pumps", CustomerName = "ACME", Amount = 12.5m, Currency = "CNY",
            Status = QuoteStatus.Draft, ApprovalStatus = null, CreatedAt = now, UpdatedAt = now,
        }));
    }
}
