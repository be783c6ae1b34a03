using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CrmIntegration.Api.IntegrationTests.Browser;

/// <summary>
/// Every browser test leaves a picture of its page: a full-page PNG under the test run's work directory
/// (browser-screenshots/) and attached to the test's result (TestContext.AddTestAttachment), pass or fail.
/// </summary>
internal static partial class BrowserScreenshots
{
    public static string Directory => Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-screenshots");

    /// <summary>Saves and attaches the page as it is now; <paramref name="suffix"/> tells several pictures of one test apart.</summary>
    public static async Task<string> SaveAsync(IPage page, string? suffix = null)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var test = TestContext.CurrentContext.Test;
        var name = Unsafe().Replace($"{test.ClassName?.Split('.').Last()}.{test.Name}{(suffix is null ? "" : "-" + suffix)}", "_");
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, suffix ?? "the page as the test left it");
        return path;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();
}
