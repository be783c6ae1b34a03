using CrmIntegration.Domain.Customers;
using CrmIntegration.Application.Customers.NotifyEmployee;
using CrmIntegration.Infrastructure.Customers.MiniProgram;

namespace CrmIntegration.Application.UnitTests.Customers;

public sealed class SubscribeMessageValuesTests
{
    [TestCase("thing1", "新分配客户12位：张三、李四、王五、赵六、钱七", "新分配客户12位：张三、李四、王五、赵六")]
    [TestCase("thing2", "short", "short")]
    [TestCase("phrase3", "待跟进处理中", "待跟进处理")]
    [TestCase("name4", "欧阳诸葛司马上官东方", "欧阳诸葛司马上官东方")]
    [TestCase("name4", "欧阳诸葛司马上官东方慕容", "欧阳诸葛司马上官东方")]
    [TestCase("name5", "Alexander Hamilton Jr.", "Alexander Hamilton J")]
    [TestCase("character_string6", "A0123456789012345678901234567890123", "A0123456789012345678901234567890")]
    [TestCase("time2", "2026年11月22日 17:30", "2026年11月22日 17:30")]
    public void Fit_ForKeyKind_CutsToItsLimit(string key, string value, string expected) =>
        Assert.That(SubscribeMessageValues.Fit(key, value), Is.EqualTo(expected));

    [Test]
    public void Fit_WithNewlinesAndTabs_MakesThemSingleSpaces() =>
        Assert.That(SubscribeMessageValues.Fit("thing1", "张三\r\n(上海)\t公司"), Is.EqualTo("张三 (上海) 公司"));

    [Test]
    public void Fit_WithAnEmojiAtTheCut_NeverSplitsASurrogatePair()
    {
        var value = new string('客', 19) + "😀😀";

        var fitted = SubscribeMessageValues.Fit("thing1", value);

        Assert.That(fitted, Is.EqualTo(new string('客', 19) + "😀"));
        Assert.That(fitted.EnumerateRunes().Count(), Is.EqualTo(20));
    }

    [TestCase(0, SendOutcome.Sent)]
    [TestCase(43101, SendOutcome.NotSubscribed)]
    [TestCase(40003, SendOutcome.Failed)]
    [TestCase(40037, SendOutcome.Failed)]
    [TestCase(47003, SendOutcome.Failed)]
    [TestCase(41030, SendOutcome.Failed)]
    [TestCase(-1, SendOutcome.Transient)]
    [TestCase(45011, SendOutcome.Transient)]
    [TestCase(-501001, SendOutcome.Transient)]
    [TestCase(-501005, SendOutcome.Transient)]
    [TestCase(-504001, SendOutcome.Transient)]
    [TestCase(-504002, SendOutcome.Unconfirmed)]
    [TestCase(-501002, SendOutcome.Unconfirmed)]
    [TestCase(-604102, SendOutcome.Unconfirmed)]
    [TestCase(40001, SendOutcome.Transient)]
    [TestCase(40014, SendOutcome.Transient)]
    [TestCase(42001, SendOutcome.Transient)]
    [TestCase(null, SendOutcome.Transient)]
    public void Classify_ForErrCode_IsAsTheRetryPolicySays(int? code, SendOutcome expected) =>
        Assert.That(WeChatErrorCodes.Classify(code), Is.EqualTo(expected));
}
