using System.Threading.Channels;

namespace CrmIntegration.Application.Approvals.QuoteEvents;

/// <summary>
/// This instance's live feed of quote status events, in <see cref="QuoteStatusEventDto.Seq"/> order, read from the
/// store (so changes applied by any instance arrive). A subscriber that falls too far behind is cut off: its
/// reader completes and the client resumes from its last id.
/// </summary>
public interface IQuoteEventFeed
{
    IQuoteEventSubscription Subscribe();
}

public interface IQuoteEventSubscription : IDisposable
{
    ChannelReader<QuoteStatusEventDto> Events { get; }
}
