using System.Net;
using System.Net.Sockets;
using System.Text;
using CrmIntegration.Api.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace CrmIntegration.Api.IntegrationTests.Reliability;

/// <summary>
/// Anonymous clients cannot write Error entries: a malformed chunked body or a client that goes away mid-body
/// (raw sockets against a real Kestrel) is one request-log line below Warning, never an Error.
/// </summary>
[TestFixture]
[Category("Reliability")]
[NonParallelizable]
public sealed class AbortedCallbackTests
{
    private const string Path = "/wecom/callback";
    private const string Query = "?msg_signature=a&timestamp=1&nonce=2";

    private CrmApiFactory _factory = null!;
    private IPEndPoint _endpoint = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _factory = WeComCallbackClient.Configure(new CrmApiFactory());
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _endpoint = new IPEndPoint(IPAddress.Loopback, address.Port);
    }

    [OneTimeTearDown]
    public void TearDown() => _factory.Dispose();

    [Test]
    public async Task MalformedChunkedBody_Is400_AndNoError()
    {
        var mark = LogCapture.Instance.Mark();
        using var socket = await ConnectAsync();
        await SendAsync(socket, $"POST {Path}{Query} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n<xml>\r\n0\r\n\r\n");
        var answer = await ReceiveAsync(socket);

        Assert.That(answer, Does.StartWith("HTTP/1.1 400"), answer);
        await AssertLoggedOnceBelowWarningAsync(mark, 400);
    }

    [Test]
    public async Task ClientResetsMidBody_IsLoggedBelowWarning_AndNoError()
    {
        var mark = LogCapture.Instance.Mark();
        using (var socket = await ConnectAsync())
        {
            await SendAsync(socket, $"POST {Path}{Query} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n<xml><Encrypt>abc");
            await Task.Delay(200); // the endpoint is now waiting for the rest of the body
            socket.LingerState = new LingerOption(true, 0); // close = RST: the client is gone
            socket.Close();
        }

        await AssertLoggedOnceBelowWarningAsync(mark, null);
    }

    [Test]
    public async Task ClientClosesMidBody_IsLoggedBelowWarning_AndNoError()
    {
        var mark = LogCapture.Instance.Mark();
        using (var socket = await ConnectAsync())
        {
            await SendAsync(socket, $"POST {Path}{Query} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 5000\r\n\r\n<xml><Encrypt>abc");
            await Task.Delay(200);
            socket.Shutdown(SocketShutdown.Send); // FIN: the body ends early
        }

        await AssertLoggedOnceBelowWarningAsync(mark, null);
    }

    private static async Task AssertLoggedOnceBelowWarningAsync(int mark, int? status)
    {
        var line = await LogAssert.RequestLineAsync(mark, Path);
        await Task.Delay(300); // anything logged after the request line
        var events = LogCapture.Instance.EventsSince(mark);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events.Where(e => e.IsError).Select(e => e.ToString()), Is.Empty, "never an Error entry");
            Assert.That(events.Where(e => e.Level >= LogEventLevel.Warning).Select(e => e.ToString()), Is.Empty, "logged once, below Warning");
            Assert.That(events.Count(e => e.SourceContext == LogAssert.RequestLogSource), Is.EqualTo(1));
            Assert.That(line.Event.Exception, Is.Null);
            if (status is not null)
            {
                Assert.That(line.Property("StatusCode"), Is.EqualTo(status));
            }
        }
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_endpoint);
        return socket;
    }

    private static async Task SendAsync(Socket socket, string text) =>
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[8192];
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            if (received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        return received.ToString();
    }
}
