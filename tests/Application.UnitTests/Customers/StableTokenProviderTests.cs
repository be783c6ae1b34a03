using System.Net;
using System.Text;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Customers.MiniProgram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmIntegration.Application.UnitTests.Customers;

public sealed class StableTokenProviderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));
    private TokenEndpoint _endpoint = null!;
    private ServiceProvider _provider = null!;
    private StableTokenProvider _tokens = null!;

    [SetUp]
    public void SetUp()
    {
        _endpoint = new TokenEndpoint();
        var services = new ServiceCollection();
        services.AddHttpClient(MiniProgramHttp.ClientName, c => c.BaseAddress = new Uri("https://wechat.test/"))
            .ConfigurePrimaryHttpMessageHandler(() => _endpoint);
        _provider = services.BuildServiceProvider();
        _tokens = new StableTokenProvider(_provider.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new MiniProgramOptions { AppId = "wx1", AppSecret = "s" }), _clock, NullLogger<StableTokenProvider>.Instance);
    }

    [TearDown]
    public void TearDown()
    {
        _tokens.Dispose();
        _provider.Dispose();
        _endpoint.Dispose();
    }

    [Test]
    public async Task GetAsync_ManyAtOnce_FetchesOnce()
    {
        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _tokens.GetAsync(CancellationToken.None))));

        Assert.That(tokens.Distinct(), Is.EqualTo(new[] { "T1" }));
        Assert.That(_endpoint.Calls, Is.EqualTo(1));
        Assert.That(_endpoint.LastBody, Does.Contain("\"force_refresh\":false"));
    }

    [Test]
    public async Task GetAsync_UntilExpiresInLess300Seconds_UsesTheCacheThenFetches()
    {
        await _tokens.GetAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(7200 - 300 - 1));
        var cached = await _tokens.GetAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = await _tokens.GetAsync(CancellationToken.None);

        Assert.That((cached, fresh, _endpoint.Calls), Is.EqualTo(("T1", "T2", 2)));
    }

    [Test]
    public async Task Invalidate_WithTheCachedToken_FetchesAgainButAnOlderTokenChangesNothing()
    {
        await _tokens.GetAsync(CancellationToken.None);
        _tokens.Invalidate("T1");
        var second = await _tokens.GetAsync(CancellationToken.None);
        _tokens.Invalidate("T1"); // a late refusal of the old token
        var third = await _tokens.GetAsync(CancellationToken.None);

        Assert.That((second, third, _endpoint.Calls), Is.EqualTo(("T2", "T2", 2)));
    }

    [Test]
    public void GetAsync_WhenWeChatRefuses_ThrowsWithTheCode()
    {
        _endpoint.Refuse = true;
        var e = Assert.ThrowsAsync<WeChatApiException>(() => _tokens.GetAsync(CancellationToken.None));
        Assert.That(e!.ErrorCode, Is.EqualTo(40013));
    }

    private sealed class TokenEndpoint : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        public string LastBody { get; private set; } = "";

        public bool Refuse { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastBody = await request.Content!.ReadAsStringAsync(cancellationToken);
            var n = Interlocked.Increment(ref _calls);
            await Task.Delay(20, cancellationToken);
            var body = Refuse ? """{"errcode":40013,"errmsg":"invalid appid rid: x"}""" : $$"""{"access_token":"T{{n}}","expires_in":7200}""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
