using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CrmIntegration.Application.Approvals.HandleApprovalCallback;
using CrmIntegration.Infrastructure.Approvals.WeCom;
using CrmIntegration.Simulator;
using Microsoft.AspNetCore.WebUtilities;

namespace CrmIntegration.Api.IntegrationTests.Simulator;

/// <summary>
/// Plays the service's callback URL for the simulator: verifies and decrypts with the production crypto, answers
/// GET with the echostr plaintext and POST with <see cref="AnswerStatus"/> and "success".
/// </summary>
internal sealed class CallbackReceiver(SimulatorSettings settings) : HttpMessageHandler
{
    private readonly WeComCallbackCrypto _crypto = new(settings.Token, settings.EncodingAesKey, settings.CorpId);
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();

    public HttpStatusCode AnswerStatus { get; set; } = HttpStatusCode.OK;

    /// <summary>Appended to the echoed plaintext (a receiver that gets "save and test" wrong).</summary>
    public string EchoSuffix { get; set; } = "";

    public IReadOnlyList<ReceivedCallback> Received => [.. _received];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Decoded once, as ASP.NET Core does for the real endpoint.
        var query = QueryHelpers.ParseQuery(request.RequestUri!.Query);
        string Q(string key) => query.TryGetValue(key, out var v) ? v.ToString() : "";

        if (request.Method == HttpMethod.Get)
        {
            var echo = _crypto.VerifyAndDecrypt(Q("msg_signature"), Q("timestamp"), Q("nonce"), Q("echostr"));
            return Text(HttpStatusCode.OK, echo + EchoSuffix);
        }

        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var plain = _crypto.VerifyAndDecrypt(Q("msg_signature"), Q("timestamp"), Q("nonce"), WeComXml.ReadEncryptEnvelope(body));
        _received.Enqueue(new ReceivedCallback(request.RequestUri.AbsolutePath, Q("timestamp"), plain, WeComXml.ParseMessage(plain).Approval));
        return Text(AnswerStatus, AnswerStatus == HttpStatusCode.OK ? "success" : "nope");
    }

    private static HttpResponseMessage Text(HttpStatusCode status, string text) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };
}
