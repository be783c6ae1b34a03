using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CrmIntegration.Infrastructure.SqlServerTests.TSql;

/// <summary>Parses T-SQL as SQL Server 2022 (compatibility 160) would, with ScriptDom: syntax only, no server.</summary>
internal static class TSqlCheck
{
    /// <summary>SQL Server's limit on parameters per request (error 8003 past it).</summary>
    public const int MaxParameters = 2100;

    /// <summary>The parse errors of one script (which may hold GO-separated batches); empty when it parses.</summary>
    public static IReadOnlyList<string> Errors(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return [.. errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message} (error {e.Number})")];
    }

    /// <summary>Fails naming every statement that does not parse, with its errors and text.</summary>
    public static void AssertParses(IEnumerable<string> statements)
    {
        var all = statements.ToList();
        Assert.That(all, Is.Not.Empty, "no statement was captured: the check would pass vacuously");
        foreach (var statement in all)
        {
            TestContext.Out.WriteLine($"-- parsed as T-SQL ({statement.Length} chars)\n{(statement.Length > 1500 ? statement[..1500] + "\n-- …" : statement)}\n");
        }

        var failures = Failures(all);
        if (failures is not null)
        {
            Assert.Fail(failures);
        }
    }

    /// <summary>What <see cref="AssertParses"/> fails with: each refused statement with its errors; null when all parse.</summary>
    public static string? Failures(IReadOnlyList<string> statements)
    {
        var failures = statements.Select(s => (Sql: s, Errors: Errors(s))).Where(s => s.Errors.Count > 0)
            .Select(s => $"{string.Join("; ", s.Errors)}\n--- statement ---\n{s.Sql}\n")
            .ToList();
        return failures.Count == 0
            ? null
            : $"{failures.Count} of {statements.Count} statement(s) SQL Server would refuse to parse:\n{string.Join("\n", failures)}";
    }
}
