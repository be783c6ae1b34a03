namespace CrmIntegration.Application.Approvals.Callbacks;

/// <summary>WeCom's WXBizMsgCrypt error codes, named as in Tencent's SDKs.</summary>
public static class WeComErrorCodes
{
    public const int Ok = 0;
    public const int ValidateSignatureError = -40001;
    public const int ParseXmlError = -40002;
    public const int ComputeSignatureError = -40003;
    public const int IllegalAesKey = -40004;
    public const int ValidateCorpidError = -40005;
    public const int EncryptAesError = -40006;
    public const int DecryptAesError = -40007;
    public const int IllegalBuffer = -40008;
    public const int EncodeBase64Error = -40009;
    public const int DecodeBase64Error = -40010;
    public const int GenReturnXmlError = -40011;
}
