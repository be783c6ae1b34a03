namespace CrmIntegration.Application.Admin.IntegrationCheck;

/// <summary>What to fix for the codes WeCom and WeChat answer, in the words of their admin consoles and our settings.</summary>
public static class PartnerHints
{
    public static string WeCom(int errCode) => errCode switch
    {
        40013 => "WeCom:CorpId is not a corp id WeCom knows: copy 企业ID from the admin console (我的企业 → 企业信息).",
        40001 => "WeCom:Secret is not the secret of this corp's approval app (or it was reset): copy the app's Secret from 应用管理 → the app, and check WeCom:CorpId.",
        40091 => "WeCom:Secret is malformed: copy the app's Secret again, whole, with no spaces or line breaks.",
        41004 => "WeCom:Secret is missing.",
        40014 or 42001 or 41001 => "WeCom refused a fresh access token: check WeCom:CorpId and WeCom:Secret belong to the same corp.",
        60020 => "WeCom refuses calls from this server's IP: add it to the app's 企业可信IP in the admin console.",
        45009 or 45033 => "WeCom's frequency limit is reached (the sync shares it): wait a minute and check again; lower WeCom:CallBudget:PerMinute if it recurs.",
        -1 => "WeCom was busy: check again in a minute.",
        301025 => "WeCom does not know this template for the app: copy the quote template's id (审批 → the template → 模板ID) into WeCom:Approval:TemplateId, and let this app call it (审批 → API → 可调用接口的应用).",
        48002 or 60011 => "The app may not call the approval API: in 审批 → API → 可调用接口的应用, add this app (WeCom:Secret is its secret).",
        _ => $"WeCom answered errcode {errCode}: look it up at https://open.work.weixin.qq.com/devtool/query?e={errCode}.",
    };

    public static string WeChat(int errCode) => errCode switch
    {
        40013 => "MiniProgram:AppId is not the mini-program's AppID: copy it from mp.weixin.qq.com (开发 → 开发管理 → 开发设置).",
        40125 or 40001 => "MiniProgram:AppSecret is not this mini-program's AppSecret (or it was reset): generate or copy it in 开发 → 开发设置 and set MiniProgram:AppSecret.",
        40164 => "WeChat refuses calls from this server's IP: add it to the mini-program's IP whitelist (开发 → 开发设置 → IP白名单).",
        40002 => "WeChat refused grant_type: the service sends client_credential; is MiniProgram:ApiBaseUrl WeChat's API?",
        43101 => "The employee has no subscription credit: open the mini-program and accept the subscription message (each acceptance allows one message), then send again.",
        40003 => "The employee's openid is not one of this mini-program's users: set the openid the mini-program reports (PUT /api/employees/{id}/openid).",
        40037 => "MiniProgram:TemplateId is not a subscription template of this mini-program: copy it from 订阅消息 → 我的模板.",
        47003 => "The template's keys do not match: it must have thing1 (what), time2 (when) and phrase3 (status).",
        41030 => "MiniProgram:Page is not a page of the published mini-program (or MiniProgram:MiniProgramState points at another version).",
        45009 or 45011 => "WeChat's call quota is reached: check again later.",
        -1 or -1000 => "WeChat was busy: check again in a minute.",
        -501000 => "The cloud environment was not found: set MiniProgram:CloudEnv to the environment id shown in the cloud console (云开发 → 设置).",
        -501001 or -501002 or -501003 or -501004 or -501005 => "The cloud environment refused or is unwell (system error, quota or abnormal environment): check the cloud console.",
        -504001 or -504002 => "The cloud function failed: check it is deployed under MiniProgram:CloudFunctionName in MiniProgram:CloudEnv (upload samples/cloudfunctions/quickstartFunctions) and read its logs in the cloud console.",
        -604101 => "The cloud function may not call subscribeMessage.send: upload it with its config.json (openapi permissions).",
        _ => $"WeChat answered errcode {errCode}: see the mini-program server API error codes.",
    };
}
