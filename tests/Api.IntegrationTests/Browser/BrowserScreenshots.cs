using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CrmIntegration.Api.IntegrationTests.Browser;

/// <summary>
/// Every browser test leaves a picture of its page: a full-page PNG under the test run's work directory
/// (browser-screenshots/) and attached to the test's result (TestContext.AddTestAttachment), pass or fail.
/// </summary>
internal static partial class BrowserScreenshots
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Running = new();
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> MissingQueue = new();

    public static string Directory => Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-screenshots");

    /// <summary>Browser tests that ran to the end (passed or failed) without a screenshot.</summary>
    public static IReadOnlyList<string> Missing => [.. MissingQueue];

    internal static void Begin(string test) => Running[test] = false;

    internal static void End(string test, bool skipped)
    {
        if (Running.TryRemove(test, out var saved) && !saved && !skipped)
        {
            MissingQueue.Enqueue(test);
        }
    }

    /// <summary>Saves and attaches the page as it is now; <paramref name="suffix"/> tells several pictures of one test apart.</summary>
    public static async Task<string> SaveAsync(IPage page, string? suffix = null)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var test = TestContext.CurrentContext.Test;
        var name = Unsafe().Replace($"{test.ClassName?.Split('.').Last()}.{test.Name}{(suffix is null ? "" : "-" + suffix)}", "_");
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, suffix ?? "the page as the test left it");
        Running.TryUpdate(test.FullName, true, false);
        return path;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();
}

/// <summary>
/// On every browser fixture: a test that ran (was not skipped) and saved no screenshot is reported by
/// <see cref="BrowserScreenshotCheck"/> at the end of the run.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ScreenshotEveryTestAttribute : Attribute, ITestAction
{
    public NUnit.Framework.ActionTargets Targets => NUnit.Framework.ActionTargets.Test;

    public void BeforeTest(NUnit.Framework.Interfaces.ITest test) => BrowserScreenshots.Begin(test.FullName);

    public void AfterTest(NUnit.Framework.Interfaces.ITest test) =>
        BrowserScreenshots.End(test.FullName, TestContext.CurrentContext.Result.Outcome.Status is NUnit.Framework.Interfaces.TestStatus.Skipped);
}

/// <summary>After the browser tests: each one left a screenshot, and every browser fixture is watched for it.</summary>
[SetUpFixture]
public sealed class BrowserScreenshotCheck
{
    [OneTimeTearDown]
    public void EveryBrowserTestSavedAScreenshot()
    {
        var unwatched = typeof(BrowserScreenshotCheck).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(CategoryAttribute), false).Cast<CategoryAttribute>().Any(c => c.Name == "Browser"))
            .Where(t => !t.IsDefined(typeof(ScreenshotEveryTestAttribute), false))
            .Select(t => t.Name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unwatched, Is.Empty, "every [Category(\"Browser\")] fixture carries [ScreenshotEveryTest]");
            Assert.That(BrowserScreenshots.Missing, Is.Empty, "browser tests that ran without saving a screenshot (BrowserScreenshots.SaveAsync)");
        }
    }
}
