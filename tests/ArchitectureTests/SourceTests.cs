using System.Text.RegularExpressions;

namespace CrmIntegration.ArchitectureTests;

/// <summary>Rules about the source files themselves, read from the repository the tests were built from.</summary>
[TestFixture]
public sealed partial class SourceTests
{
    private const int MaxHandlerFileLines = 150;

    private static readonly string _root = RepositoryRoot();

    [Test]
    public void NoHandlerSourceFile_IsOver150Lines()
    {
        var application = Path.Combine(_root, "src", "Application");
        var sources = SourceFiles(application).ToDictionary(f => f, File.ReadAllText);
        var handlerFiles = new HashSet<string>();
        var unmatched = new List<string>();
        foreach (var handler in HandlerTests.RequestHandlersIn(typeof(Application.DependencyInjection).Assembly))
        {
            var name = handler.Name.Split('`')[0];
            var declaring = new Regex($@"\b(class|record)\s+{Regex.Escape(name)}\b");
            var files = sources.Where(s => declaring.IsMatch(s.Value)).Select(s => s.Key).ToList();
            if (files.Count == 0)
            {
                unmatched.Add(handler.FullName!);
            }

            handlerFiles.UnionWith(files);
        }

        var tooLong = handlerFiles.Select(f => (File: Relative(f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxHandlerFileLines).OrderByDescending(f => f.Lines).Select(f => $"{f.File} ({f.Lines} lines)");

        Assert.That(unmatched, Is.Empty, "handlers whose source file was not found under src/Application");
        Assert.That(tooLong, Is.Empty, $"handler source files over {MaxHandlerFileLines} lines: split the use case");
    }

    [Test]
    public void LeaseSql_LivesInOneFile()
    {
        var mentioning = SourceFiles(Path.Combine(_root, "src"))
            .Where(f => !IsUnder(f, "Migrations") && !IsUnder(f, Path.Combine("Persistence", "Configurations")))
            .Where(f => LeaseColumn().IsMatch(File.ReadAllText(f)))
            .Select(Relative).Order().ToList();

        Assert.That(mentioning, Has.Count.LessThanOrEqualTo(1),
            "files outside Migrations and Persistence/Configurations that mention LockedUntil, LockOwner or SyncLease:\n  "
            + string.Join("\n  ", mentioning));
    }

    [Test]
    public void Transactions_AreOpenedOnlyUnderTheExecutionStrategy()
    {
        // Both engines' retrying strategies refuse a transaction opened outside them (ADR-26); this finds one before a test
        // has to run it.
        var opening = SourceFiles(Path.Combine(_root, "src"))
            .Where(f => OpensATransaction().IsMatch(File.ReadAllText(f)))
            .Select(Relative).Order().ToList();

        Assert.That(opening, Is.Empty,
            "files that open a transaction themselves; use IAppDbContext.InTransactionAsync (RetriableTransaction), which runs "
            + "the whole unit of work under the execution strategy:\n  " + string.Join("\n  ", opening));
    }

    [Test]
    public void TheRepositoryRoot_IsFound()
    {
        Assert.That(SourceFiles(Path.Combine(_root, "src", "Application")).Count(), Is.GreaterThan(10));
    }

    [GeneratedRegex("LockedUntil|LockOwner|SyncLease")]
    private static partial Regex LeaseColumn();

    [GeneratedRegex(@"\.(BeginTransaction|UseTransaction)(Async)?\s*\(|\bEnlistTransaction\s*\(|\bnew\s+TransactionScope\b")]
    private static partial Regex OpensATransaction();

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !IsUnder(f, "bin") && !IsUnder(f, "obj"));

    private static bool IsUnder(string file, string folder) =>
        Path.GetRelativePath(_root, file).Replace('\\', '/').Contains($"/{folder.Replace('\\', '/')}/", StringComparison.Ordinal);

    private static string Relative(string file) => Path.GetRelativePath(_root, file).Replace('\\', '/');

    /// <summary>The folder holding CrmIntegration.sln, walking up from the test binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmIntegration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No CrmIntegration.sln above {AppContext.BaseDirectory}.");
    }
}
